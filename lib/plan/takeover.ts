/**
 * What the first apply would take from an existing bucket. `aws_s3_bucket_policy` and
 * `aws_s3_bucket_replication_configuration` each own a whole bucket-level document: S3's
 * PutBucketPolicy and PutBucketReplication replace what the bucket had. So every statement the
 * bucket's policy has that the synthesized policy does not, and every replication rule whose id the
 * config does not have, is removed on apply. A plan that would remove something is refused unless
 * the config says replacing it is intended.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
 */
import type { BucketLocation, Replication, SharedDestination } from "../config/model";
import { type Json, statementsOf } from "../json";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "../policies/destination-bucket-policy";
import type { PolicyDocument } from "../policies/policy-document";
import type { BucketSnapshot } from "./bucket-snapshot";

export interface RemovedStatement {
  readonly bucket: string;
  /** Where the config keeps this bucket's statements (adopt writes `additionalStatements` there). */
  readonly keepAt?: ConfigPath;
  readonly sid?: string;
  /** The statement as JSON text, as the bucket has it. */
  readonly text: string;
  readonly statement: Json;
}

export interface RemovedRule {
  readonly bucket: string;
  readonly id: string;
  readonly text: string;
}

export interface Takeover {
  readonly stack: string;
  readonly removedStatements: readonly RemovedStatement[];
  readonly removedRules: readonly RemovedRule[];
  /** What else the apply changes on existing buckets, or what the live bucket says the config misses. */
  readonly notes: readonly string[];
  /** Why the plan is refused; empty when it may go ahead. */
  readonly refusals: readonly string[];
}

export interface TakeoverOptions {
  /** The stack's entry in the config: `["replications", 0]`, or `["sharedDestinations", bucket]`. */
  readonly keepAt: ConfigPath;
  /** `--replace-existing`: replacing is intended for every bucket of this run. */
  readonly replaceExisting: boolean;
}

/** Fields whose single string means the same as a one-element list. */
const LIST_FIELDS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

/**
 * A statement in a form where IAM-equivalent spellings compare equal: keys sorted, a single value
 * and a one-element list alike, lists in any order.
 */
function canonical(value: unknown, listy = false): unknown {
  if (Array.isArray(value)) {
    return value
      .map((v) => JSON.stringify(canonical(v)))
      .sort()
      .map((v) => JSON.parse(v));
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(
      entries.map(([key, v]) => {
        if (key === "Principal" || key === "NotPrincipal") return [key, canonicalMap(v)];
        if (key === "Condition" && v && typeof v === "object") {
          return [key, Object.fromEntries(Object.entries(v).map(([op, m]) => [op, canonicalMap(m)]))];
        }
        return [key, canonical(v, LIST_FIELDS.has(key))];
      }),
    );
  }
  return listy && typeof value === "string" ? [value] : value;
}

function canonicalMap(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return canonical(value);
  return canonical(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v, true)])));
}

export function sameStatement(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Statements of the bucket's live policy that the synthesized policy does not carry. */
export function removedStatements(
  bucket: string,
  live: Json | undefined,
  intended: readonly unknown[],
): RemovedStatement[] {
  if (!live) return [];
  return statementsOf(live)
    .filter((statement) => !intended.some((mine) => sameStatement(statement, mine)))
    .map((statement) => ({
      bucket,
      sid: typeof statement.Sid === "string" && statement.Sid !== "" ? statement.Sid : undefined,
      text: JSON.stringify(statement, null, 2),
      statement,
    }));
}

function describeSids(removed: readonly RemovedStatement[]): string {
  const named = removed.filter((r) => r.sid).map((r) => `Sid ${r.sid}`);
  const unnamed = removed.length - named.length;
  return [...named, ...(unnamed > 0 ? [`${unnamed} without Sid`] : [])].join(", ");
}

function versioningNote(location: BucketLocation, snapshot: BucketSnapshot): string | undefined {
  if (snapshot.versioning === "Enabled") return undefined;
  return `${location.bucket}: versioning is ${snapshot.versioning}; the apply enables it (a versioned bucket can be suspended later, never unversioned again)`;
}

/** Where a bucket's kept statements live in the config file, as a path of keys. */
export type ConfigPath = ReadonlyArray<string | number>;

export function pathText(path: ConfigPath): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function ownershipNote(location: BucketLocation, snapshot: BucketSnapshot): string | undefined {
  if (!location.objectOwnership || !snapshot.ownership || snapshot.ownership === location.objectOwnership) return;
  return `${location.bucket}: Object Ownership is ${snapshot.ownership}, the config says ${location.objectOwnership}`;
}

/** The statements a bucket policy resource would remove, and the refusal unless that is intended. */
function policyTakeover(
  stack: string,
  bucket: BucketLocation & { replaceExistingStatements: boolean },
  snapshot: BucketSnapshot,
  intended: PolicyDocument,
  options: TakeoverOptions,
): { removed: RemovedStatement[]; refusals: string[] } {
  const removed = removedStatements(bucket.bucket, snapshot.policy, intended.Statement).map((r) => ({
    ...r,
    keepAt: options.keepAt,
  }));
  if (removed.length === 0 || bucket.replaceExistingStatements || options.replaceExisting)
    return { removed, refusals: [] };
  const path = pathText(options.keepAt);
  return {
    removed,
    refusals: [
      `${stack}: the apply would remove ${removed.length} statement(s) from the bucket policy of ${bucket.bucket} (${describeSids(removed)}). Keep them: \`npm run adopt -- ${stack}\` copies them into ${path}.additionalStatements; or set ${path}.replaceExistingStatements to true if removing them is intended (or plan with --replace-existing).`,
    ],
  };
}

/**
 * The takeover of a shared destination's stack: the one bucket policy with every source's grant,
 * and the bucket's versioning.
 */
export function sharedTakeoverOf(
  shared: SharedDestination,
  snapshot: BucketSnapshot | undefined,
  options: TakeoverOptions,
): Takeover {
  const stack = shared.stackName;
  if (!snapshot?.exists) return { stack, removedStatements: [], removedRules: [], notes: [], refusals: [] };
  const policy = policyTakeover(stack, shared.destination, snapshot, sharedDestinationBucketPolicy(shared), options);
  const notes = [versioningNote(shared.destination, snapshot), ownershipNote(shared.destination, snapshot)].filter(
    (n): n is string => n !== undefined,
  );
  return { stack, removedStatements: policy.removed, removedRules: [], notes, refusals: policy.refusals };
}

/**
 * The takeover of one stack, from snapshots of the existing buckets it writes (keyed by bucket
 * name). Buckets without a snapshot (created by a stack, or not read) are left out.
 */
export function takeoverOf(
  replication: Replication,
  snapshots: ReadonlyMap<string, BucketSnapshot>,
  options: TakeoverOptions,
): Takeover {
  const stack = replication.stackName;
  const removed: RemovedStatement[] = [];
  const rules: RemovedRule[] = [];
  const notes: string[] = [];
  const refusals: string[] = [];
  const managed = new Set(replication.managedBuckets.map((m) => m.location.bucket));

  const source = snapshots.get(replication.source.bucket);
  if (source?.exists) {
    const ids = new Set(replication.rules.map((r) => r.id));
    const gone = (source.replication?.rules ?? [])
      .filter((rule) => !ids.has(String(rule.ID ?? "")))
      .map((rule) => ({
        bucket: source.bucket,
        id: String(rule.ID ?? "(no id)"),
        text: JSON.stringify(rule, null, 2),
      }));
    rules.push(...gone);
    if (source.replication?.role && source.replication.role !== replication.role.arn) {
      notes.push(
        `${source.bucket}: the replication configuration's role changes from ${source.replication.role} to ${replication.role.arn}`,
      );
    }
    if (gone.length > 0 && !replication.replaceExistingRules && !options.replaceExisting) {
      refusals.push(
        `${stack}: the apply would remove ${gone.length} replication rule(s) that ${source.bucket} has and the config does not (id ${gone.map((r) => r.id).join(", ")}). Add them to ${pathText(options.keepAt)}.rules, or set ${pathText(options.keepAt)}.replaceExistingRules to true if removing them is intended (or plan with --replace-existing).`,
      );
    }
    if (managed.has(source.bucket)) {
      const note = versioningNote(replication.source, source);
      if (note) notes.push(note);
    }
    const kmsKey = source.encryption?.kmsKeyId;
    if (kmsKey && !replication.source.sseKmsKeyArns.includes(kmsKey)) {
      notes.push(
        `${source.bucket}: default encryption is ${source.encryption?.algorithm} with ${kmsKey}, which source.sseKmsKeyArns does not list: objects it encrypts are not replicated unless a rule sets replicateSseKms`,
      );
    }
    if (
      replication.source.objectOwnership &&
      source.ownership &&
      source.ownership !== replication.source.objectOwnership
    ) {
      notes.push(
        `${source.bucket}: Object Ownership is ${source.ownership}, the config says ${replication.source.objectOwnership}`,
      );
    }
  }

  // A shared destination's policy and versioning belong to its destination stack (sharedTakeoverOf).
  for (const destination of replication.destinations.filter((d) => !d.sharedBy)) {
    const snapshot = snapshots.get(destination.bucket);
    if (!snapshot?.exists) continue;
    const policy = policyTakeover(stack, destination, snapshot, destinationBucketPolicy(replication, destination), {
      ...options,
      keepAt: [...options.keepAt, "destinationPolicies", destination.bucket],
    });
    removed.push(...policy.removed);
    refusals.push(...policy.refusals);
    if (managed.has(destination.bucket)) {
      const note = versioningNote(destination, snapshot);
      if (note) notes.push(note);
    }
    const ownership = ownershipNote(destination, snapshot);
    if (ownership) notes.push(ownership);
  }
  return { stack, removedStatements: removed, removedRules: rules, notes, refusals };
}

/** One thing the apply removes: `key` compares across runs, `label` names it for a person. */
export interface Removal {
  readonly key: string;
  readonly label: string;
}

/** What the apply removes, in a form a saved plan keeps and a later check compares. */
export function removalsOf(takeover: Takeover): Removal[] {
  return [
    ...takeover.removedStatements.map((s) => ({
      key: `policy ${s.bucket} ${JSON.stringify(canonical(s.statement))}`,
      label: `${s.sid ? `statement Sid ${s.sid}` : "a statement without Sid"} of ${s.bucket}'s bucket policy`,
    })),
    ...takeover.removedRules.map((r) => ({
      key: `rule ${r.bucket} ${r.id}`,
      label: `replication rule ${r.id} of ${r.bucket}`,
    })),
  ];
}

/** The takeover as Markdown, for the plan summary: what goes, by Sid and text, and by rule id. */
export function takeoverMarkdown(takeover: Takeover): string {
  const lines: string[] = [];
  for (const refusal of takeover.refusals) lines.push(`> **REFUSED: ${refusal}**`, ">");
  if (takeover.refusals.length > 0) lines.push("");
  if (takeover.removedStatements.length > 0 || takeover.removedRules.length > 0) {
    lines.push("**The apply removes from existing buckets:**", "");
    for (const s of takeover.removedStatements) {
      lines.push(
        `- bucket policy of \`${s.bucket}\`: statement ${s.sid ? `Sid \`${s.sid}\`` : "without Sid"}`,
        "",
        "  ```json",
        ...s.text.split("\n").map((line) => `  ${line}`),
        "  ```",
        "",
      );
    }
    for (const r of takeover.removedRules) {
      lines.push(
        `- replication configuration of \`${r.bucket}\`: rule \`${r.id}\``,
        "",
        "  ```json",
        ...r.text.split("\n").map((line) => `  ${line}`),
        "  ```",
        "",
      );
    }
  }
  for (const note of takeover.notes) lines.push(`- ${note}`);
  if (takeover.notes.length > 0) lines.push("");
  return lines.join("\n");
}
