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
import type { BucketLocation, Replication } from "../config/model";
import { type Json, statementsOf } from "../json";
import { destinationBucketPolicy } from "../policies/destination-bucket-policy";
import type { BucketSnapshot } from "./bucket-snapshot";

export interface RemovedStatement {
  readonly bucket: string;
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
  /** The JSON path of the stack's entry in the config, e.g. `replications[0]`. */
  readonly configPath: string;
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
        `${stack}: the apply would remove ${gone.length} replication rule(s) that ${source.bucket} has and the config does not (id ${gone.map((r) => r.id).join(", ")}). Add them to ${options.configPath}.rules, or set ${options.configPath}.replaceExistingRules to true if removing them is intended (or plan with --replace-existing).`,
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

  for (const destination of replication.destinations) {
    const snapshot = snapshots.get(destination.bucket);
    if (!snapshot?.exists) continue;
    const intended = destinationBucketPolicy(replication, destination).Statement;
    const gone = removedStatements(destination.bucket, snapshot.policy, intended);
    removed.push(...gone);
    if (gone.length > 0 && !destination.replaceExistingStatements && !options.replaceExisting) {
      const path = `${options.configPath}.destinationPolicies.${destination.bucket}`;
      refusals.push(
        `${stack}: the apply would remove ${gone.length} statement(s) from the bucket policy of ${destination.bucket} (${describeSids(gone)}). Keep them: \`npm run adopt -- ${stack}\` copies them into ${path}.additionalStatements; or set ${path}.replaceExistingStatements to true if removing them is intended (or plan with --replace-existing).`,
      );
    }
    if (managed.has(destination.bucket)) {
      const note = versioningNote(destination, snapshot);
      if (note) notes.push(note);
    }
    if (destination.objectOwnership && snapshot.ownership && snapshot.ownership !== destination.objectOwnership) {
      notes.push(
        `${destination.bucket}: Object Ownership is ${snapshot.ownership}, the config says ${destination.objectOwnership}`,
      );
    }
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
