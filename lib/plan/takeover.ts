/**
 * What the first apply would take from an existing bucket. `aws_s3_bucket_policy` and
 * `aws_s3_bucket_replication_configuration` each own a whole bucket-level document: S3's
 * PutBucketPolicy and PutBucketReplication replace what the bucket had. So every statement the
 * bucket's policy has that the synthesized policy does not, every replication rule whose id the
 * config does not have, and every rule the config has under the same id but with other content,
 * is removed or rewritten on apply. A plan that would do so is refused unless the config says
 * replacing it is intended. A bucket the stack would create must not exist yet: in us-east-1 S3
 * answers 200 to re-creating a bucket you own, and the stack would then overwrite it unchecked.
 * This file finds these things; takeover-report.ts puts them in words.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
 */
import type { BucketLocation, Replication, SharedDestination } from "../config/model";
import { type Json, statementsOf } from "../json";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "../policies/destination-bucket-policy";
import type { PolicyDocument } from "../policies/policy-document";
import type { BucketSnapshot } from "./bucket-snapshot";
import { type CanonicalRule, type FieldChange, ruleDifferences, rulesFromS3 } from "./replication-rules";

/** Where a bucket's kept statements live in the config file, as a path of keys. */
export type ConfigPath = ReadonlyArray<string | number>;

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
  /** The rule as JSON text, as the bucket has it. */
  readonly text: string;
}

/** A live rule the config has under the same id, with other content: the apply rewrites it. */
export interface ChangedRule {
  readonly bucket: string;
  readonly id: string;
  readonly fields: readonly FieldChange[];
  /** The live rule, canonical: what a later check compares. */
  readonly live: CanonicalRule;
}

export type Note =
  | { readonly kind: "role"; readonly bucket: string; readonly from: string; readonly to: string }
  | { readonly kind: "versioning"; readonly bucket: string; readonly status: string }
  | { readonly kind: "encryption"; readonly bucket: string; readonly algorithm: string; readonly key: string }
  | { readonly kind: "ownership"; readonly bucket: string; readonly live: string; readonly config: string };

export type Refusal =
  | {
      readonly kind: "statements";
      readonly stack: string;
      readonly bucket: string;
      readonly keepAt: ConfigPath;
      readonly removed: readonly RemovedStatement[];
    }
  | {
      readonly kind: "rules" | "changed-rules";
      readonly stack: string;
      readonly bucket: string;
      readonly keepAt: ConfigPath;
      readonly ids: readonly string[];
    }
  | {
      readonly kind: "bucket-exists";
      readonly stack: string;
      readonly bucket: string;
      readonly accountId: string;
      /** Whose the bucket is, as far as HeadBucket tells. */
      readonly owner: "readable" | "not readable";
    };

export interface Takeover {
  readonly stack: string;
  readonly removedStatements: readonly RemovedStatement[];
  readonly removedRules: readonly RemovedRule[];
  readonly changedRules: readonly ChangedRule[];
  /** What else the apply changes on existing buckets, or what the live bucket says the config misses. */
  readonly notes: readonly Note[];
  /** Why the plan is refused; empty when it may go ahead. */
  readonly refusals: readonly Refusal[];
  /**
   * Each source bucket's live rules, by bucket, for the comparison with the planned ones
   * (withChangedRules): a grouped stack holds several source buckets.
   */
  readonly sourceRules?: Readonly<Record<string, readonly CanonicalRule[]>>;
}

export interface TakeoverOptions {
  /** The stack's entry in the config: `["replications", 0]`, or `["sharedDestinations", bucket]`. */
  readonly keepAt: ConfigPath;
  /** `--replace-existing`: replacing is intended for every bucket of this run. */
  readonly replaceExisting: boolean;
}

export function emptyTakeover(stack: string): Takeover {
  return { stack, removedStatements: [], removedRules: [], changedRules: [], notes: [], refusals: [] };
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

function versioningNote(location: BucketLocation, snapshot: BucketSnapshot): Note | undefined {
  if (snapshot.versioning === "Enabled") return undefined;
  return { kind: "versioning", bucket: location.bucket, status: snapshot.versioning };
}

function ownershipNote(location: BucketLocation, snapshot: BucketSnapshot): Note | undefined {
  if (!location.objectOwnership || !snapshot.ownership || snapshot.ownership === location.objectOwnership) return;
  return { kind: "ownership", bucket: location.bucket, live: snapshot.ownership, config: location.objectOwnership };
}

/** The statements a bucket policy resource would remove, and the refusal unless that is intended. */
function policyTakeover(
  stack: string,
  bucket: BucketLocation & { replaceExistingStatements: boolean },
  snapshot: BucketSnapshot,
  intended: PolicyDocument,
  options: TakeoverOptions,
): { removed: RemovedStatement[]; refusals: Refusal[] } {
  const removed = removedStatements(bucket.bucket, snapshot.policy, intended.Statement).map((r) => ({
    ...r,
    keepAt: options.keepAt,
  }));
  if (removed.length === 0 || bucket.replaceExistingStatements || options.replaceExisting)
    return { removed, refusals: [] };
  return { removed, refusals: [{ kind: "statements", stack, bucket: bucket.bucket, keepAt: options.keepAt, removed }] };
}

const present = <T>(items: ReadonlyArray<T | undefined>): T[] => items.filter((i): i is T => i !== undefined);

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
  if (!snapshot?.exists) return emptyTakeover(stack);
  const policy = policyTakeover(stack, shared.destination, snapshot, sharedDestinationBucketPolicy(shared), options);
  const notes = present([versioningNote(shared.destination, snapshot), ownershipNote(shared.destination, snapshot)]);
  return { ...emptyTakeover(stack), removedStatements: policy.removed, notes, refusals: policy.refusals };
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
  const notes: Note[] = [];
  const refusals: Refusal[] = [];
  const managed = new Set(replication.managedBuckets.map((m) => m.location.bucket));
  let sourceRules: Record<string, CanonicalRule[]> | undefined;

  const source = snapshots.get(replication.source.bucket);
  if (source?.exists) {
    const ids = new Set(replication.rules.map((r) => r.id));
    const liveRules = source.replication?.rules ?? [];
    sourceRules = { [source.bucket]: rulesFromS3(liveRules) };
    const gone = liveRules
      .filter((rule) => !ids.has(String(rule.ID ?? "")))
      .map((rule) => ({
        bucket: source.bucket,
        id: String(rule.ID ?? "(no id)"),
        text: JSON.stringify(rule, null, 2),
      }));
    rules.push(...gone);
    if (source.replication?.role && source.replication.role !== replication.role.arn) {
      notes.push({ kind: "role", bucket: source.bucket, from: source.replication.role, to: replication.role.arn });
    }
    if (gone.length > 0 && !replication.replaceExistingRules && !options.replaceExisting) {
      refusals.push({
        kind: "rules",
        stack,
        bucket: source.bucket,
        keepAt: options.keepAt,
        ids: gone.map((r) => r.id),
      });
    }
    if (managed.has(source.bucket)) notes.push(...present([versioningNote(replication.source, source)]));
    const kmsKey = source.encryption?.kmsKeyId;
    if (kmsKey && !replication.source.sseKmsKeyArns.includes(kmsKey)) {
      notes.push({
        kind: "encryption",
        bucket: source.bucket,
        algorithm: source.encryption?.algorithm ?? "",
        key: kmsKey,
      });
    }
    notes.push(...present([ownershipNote(replication.source, source)]));
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
    if (managed.has(destination.bucket)) notes.push(...present([versioningNote(destination, snapshot)]));
    notes.push(...present([ownershipNote(destination, snapshot)]));
  }
  return { stack, removedStatements: removed, removedRules: rules, changedRules: [], notes, refusals, sourceRules };
}

/**
 * Live rules that the config has under the same id but with other content, compared field by
 * field with the rules the apply writes (`planned`), and the refusal unless replacing them is
 * intended. Only for a replication configuration the stack does not manage yet: once it does,
 * the plan itself shows every change, before and after.
 */
export function withChangedRules(
  takeover: Takeover,
  replication: Replication,
  planned: readonly CanonicalRule[],
  options: TakeoverOptions,
): Takeover {
  const liveRules = takeover.sourceRules?.[replication.source.bucket] ?? [];
  const changed = liveRules.flatMap((live): ChangedRule[] => {
    const mine = planned.find((p) => p.id === live.id);
    const fields = mine ? ruleDifferences(live, mine) : [];
    return fields.length > 0 ? [{ bucket: replication.source.bucket, id: live.id, fields, live }] : [];
  });
  const refuse = changed.length > 0 && !replication.replaceExistingRules && !options.replaceExisting;
  const refusal: Refusal = {
    kind: "changed-rules",
    stack: takeover.stack,
    bucket: replication.source.bucket,
    keepAt: options.keepAt,
    ids: changed.map((c) => c.id),
  };
  return {
    ...takeover,
    changedRules: [...takeover.changedRules.filter((c) => c.bucket !== replication.source.bucket), ...changed],
    refusals: [...takeover.refusals, ...(refuse ? [refusal] : [])],
  };
}

/**
 * The takeover of a stack of several parts (a grouped stack's replications and shared destination
 * sides), as one: each part reads its own buckets, and their findings are listed side by side.
 */
export function combinedTakeover(stack: string, parts: readonly Takeover[]): Takeover {
  const rules = parts.flatMap((p) => Object.entries(p.sourceRules ?? {}));
  return {
    stack,
    removedStatements: parts.flatMap((p) => p.removedStatements),
    removedRules: parts.flatMap((p) => p.removedRules),
    changedRules: parts.flatMap((p) => p.changedRules),
    notes: parts.flatMap((p) => p.notes),
    refusals: parts.flatMap((p) => p.refusals),
    ...(rules.length > 0 ? { sourceRules: Object.fromEntries(rules) } : {}),
  };
}

/** One thing the apply removes or rewrites: `key` compares across runs, `label` names it for a person. */
export interface Removal {
  readonly key: string;
  readonly label: string;
}

/** What the apply removes or rewrites, in a form a saved plan keeps and a later check compares. */
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
    ...takeover.changedRules.map((r) => ({
      key: `rule-content ${r.bucket} ${r.id} ${JSON.stringify(r.live)}`,
      label: `the content of replication rule ${r.id} of ${r.bucket}`,
    })),
  ];
}
