/**
 * Replication rules in one canonical form, whatever they were read from: the live bucket
 * (GetBucketReplication), a Terraform JSON plan (`terraform show -json`: nested blocks as lists,
 * unknown values in `after_unknown`) or the synthesized JSON (blocks as objects, template text
 * escaped). Each field is text in the words a reviewer reads, so that two rules compare field by
 * field, and the plan summary and the existing-bucket check describe a change the same way.
 * S3's defaults are spelled out: an absent toggle is "Disabled", an absent storage class is the
 * source object's class.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_replication_configuration
 */
import { isJsonObject, type JsonObject, objectAt, valueAt } from "../json";
import { unescapeTemplateText } from "../terraform-template";

/** Each field of a rule, with the words the summary uses for it. */
export const RULE_FIELDS = {
  status: "status",
  priority: "priority",
  prefix: "filter prefix",
  tags: "filter tags",
  destinationBucket: "destination bucket",
  destinationAccount: "destination account",
  storageClass: "storage class",
  deleteMarkers: "delete markers",
  replicationTime: "RTC",
  metrics: "metrics",
  replicaKmsKey: "replica KMS key",
  ownerOverride: "owner override",
  existingObjects: "existing-object replication",
  sseKmsObjects: "SSE-KMS objects",
  replicaModifications: "replica modifications",
} as const;

export type RuleField = keyof typeof RULE_FIELDS;
export type CanonicalRule = { readonly id: string } & Readonly<Record<RuleField, string>>;

/** A value Terraform learns only during the apply (a created key's ARN). */
export const UNKNOWN = "(known after apply)";
/** An empty field, as the summary shows it. */
export const NONE = "(none)";

const SOURCE_CLASS = "(the source object's)";

/** Reads a field at a path; tells whether the plan marks it unknown. */
type Reader = (path: ReadonlyArray<string | number>) => unknown;

/** A nested block: a list of one in plans, an object in the synthesized JSON. */
function block(value: unknown): JsonObject | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return isJsonObject(first) ? first : undefined;
}

function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = value;
  for (const key of path) {
    if (typeof key === "number") node = Array.isArray(node) ? node[key] : undefined;
    else node = valueAt(Array.isArray(node) ? block(node) : node, key);
  }
  return node;
}

/** The list at a path; none where there is no list. */
function listAt(value: unknown, ...path: string[]): unknown[] {
  const found = valueAt(value, ...path);
  return Array.isArray(found) ? found : [];
}

function text(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

function toggle(status: string): string {
  return status === "" ? "Disabled" : status;
}

function withMinutes(status: string, minutes: string, what: string): string {
  if (status === UNKNOWN || minutes === UNKNOWN) return UNKNOWN;
  if (toggle(status) !== "Enabled") return toggle(status);
  return minutes === "" ? "Enabled" : `Enabled (${what} ${minutes} min)`;
}

function tagsText(tags: ReadonlyArray<readonly [string, string]>): string {
  return [...tags]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** A rule of the Terraform resource, read through `read` (paths relative to the rule). */
function terraformRule(read: Reader): CanonicalRule {
  const str = (...path: Array<string | number>) => {
    const value = read(path);
    return value === UNKNOWN ? UNKNOWN : text(value);
  };
  const filter = ["filter"];
  const tag = block(read([...filter, "tag"]));
  const andTags = objectAt(block(read([...filter, "and"])), "tags");
  const tags: Array<[string, string]> = [
    ...(tag?.key !== undefined && tag.key !== null ? [[text(tag.key), text(tag.value)] as [string, string]] : []),
    ...Object.entries(andTags ?? {}).map(([k, v]) => [k, text(v)] as [string, string]),
  ];
  const prefix = str(...filter, "prefix") || str(...filter, "and", "prefix") || str("prefix");
  const destination = ["destination"];
  return {
    id: str("id"),
    status: str("status"),
    priority: str("priority"),
    prefix,
    tags: tagsText(tags),
    destinationBucket: str(...destination, "bucket"),
    destinationAccount: str(...destination, "account"),
    storageClass: str(...destination, "storage_class") || SOURCE_CLASS,
    deleteMarkers: toggle(str("delete_marker_replication", "status")),
    replicationTime: withMinutes(
      str(...destination, "replication_time", "status"),
      str(...destination, "replication_time", "time", "minutes"),
      "within",
    ),
    metrics: withMinutes(
      str(...destination, "metrics", "status"),
      str(...destination, "metrics", "event_threshold", "minutes"),
      "threshold",
    ),
    replicaKmsKey: str(...destination, "encryption_configuration", "replica_kms_key_id"),
    ownerOverride: str(...destination, "access_control_translation", "owner"),
    existingObjects: toggle(str("existing_object_replication", "status")),
    sseKmsObjects: toggle(str("source_selection_criteria", "sse_kms_encrypted_objects", "status")),
    replicaModifications: toggle(str("source_selection_criteria", "replica_modifications", "status")),
  };
}

/**
 * The rules of an `aws_s3_bucket_replication_configuration` as a plan shows them: `rules` is
 * `change.before.rule` or `change.after.rule`, `unknown` the matching part of `after_unknown`.
 */
export function rulesFromPlan(rules: unknown, unknown?: unknown): CanonicalRule[] {
  if (!Array.isArray(rules)) return [];
  return rules.map((_, i) =>
    terraformRule((path) => {
      const mask = at(unknown, [i, ...path]);
      if (mask === true) return UNKNOWN;
      return at(rules, [i, ...path]);
    }),
  );
}

/** A string of the synthesized JSON: template escapes read, a reference to another resource unknown. */
function literalText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value.replace(/\$\$\{/g, "").includes("${") ? UNKNOWN : unescapeTemplateText(value);
}

/** The rules of the resource in the synthesized JSON (`cdk.tf.json`). */
export function rulesFromSynth(rules: unknown): CanonicalRule[] {
  if (!Array.isArray(rules)) return [];
  return rules.map((rule) => terraformRule((path) => literalText(at(rule, path))));
}

/** The rules a bucket has, as GetBucketReplication returns them. */
export function rulesFromS3(rules: readonly JsonObject[]): CanonicalRule[] {
  return rules.map((rule) => {
    const destination: JsonObject = objectAt(rule, "Destination") ?? {};
    const filter: JsonObject = objectAt(rule, "Filter") ?? {};
    const field = (value: unknown, ...path: string[]) => text(valueAt(value, ...path));
    const tags: Array<[string, string]> = [
      ...(filter.Tag ? [[field(filter.Tag, "Key"), field(filter.Tag, "Value")] as [string, string]] : []),
      ...listAt(filter, "And", "Tags").map((t) => [field(t, "Key"), field(t, "Value")] as [string, string]),
    ];
    return {
      id: text(rule.ID),
      status: text(rule.Status),
      priority: text(rule.Priority),
      prefix: text(filter.Prefix) || field(filter, "And", "Prefix") || text(rule.Prefix),
      tags: tagsText(tags),
      destinationBucket: text(destination.Bucket),
      destinationAccount: text(destination.Account),
      storageClass: text(destination.StorageClass) || SOURCE_CLASS,
      deleteMarkers: toggle(field(rule, "DeleteMarkerReplication", "Status")),
      replicationTime: withMinutes(
        field(destination, "ReplicationTime", "Status"),
        field(destination, "ReplicationTime", "Time", "Minutes"),
        "within",
      ),
      metrics: withMinutes(
        field(destination, "Metrics", "Status"),
        field(destination, "Metrics", "EventThreshold", "Minutes"),
        "threshold",
      ),
      replicaKmsKey: field(destination, "EncryptionConfiguration", "ReplicaKmsKeyID"),
      ownerOverride: field(destination, "AccessControlTranslation", "Owner"),
      existingObjects: toggle(field(rule, "ExistingObjectReplication", "Status")),
      sseKmsObjects: toggle(field(rule, "SourceSelectionCriteria", "SseKmsEncryptedObjects", "Status")),
      replicaModifications: toggle(field(rule, "SourceSelectionCriteria", "ReplicaModifications", "Status")),
    };
  });
}

export interface FieldChange {
  readonly field: RuleField;
  readonly before: string;
  readonly after: string;
}

/** What happens to one rule id: added, removed, or changed in these fields. */
export interface RuleChange {
  readonly id: string;
  readonly kind: "add" | "remove" | "change";
  /** Every field of an added or removed rule; the differing fields of a changed one. */
  readonly fields: readonly FieldChange[];
  /** The id stays but the data goes to another bucket or account. */
  readonly destinationMoved: boolean;
}

const FIELDS = Object.keys(RULE_FIELDS) as RuleField[];

/** The fields in which two rules differ. */
export function ruleDifferences(before: CanonicalRule, after: CanonicalRule): FieldChange[] {
  return FIELDS.filter((f) => before[f] !== after[f]).map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}

/** Rule by rule, keyed by id: what an apply that replaces `before` with `after` does. */
export function ruleChanges(before: readonly CanonicalRule[], after: readonly CanonicalRule[]): RuleChange[] {
  const ids = [...new Set([...before.map((r) => r.id), ...after.map((r) => r.id)])];
  return ids.flatMap((id): RuleChange[] => {
    const old = before.find((r) => r.id === id);
    const now = after.find((r) => r.id === id);
    if (old && now) {
      const fields = ruleDifferences(old, now);
      if (fields.length === 0) return [];
      const moved = fields.some((f) => f.field === "destinationBucket" || f.field === "destinationAccount");
      return [{ id, kind: "change", fields, destinationMoved: moved }];
    }
    const rule = (old ?? now) as CanonicalRule;
    const fields = FIELDS.map((field) => ({
      field,
      before: old ? rule[field] : "",
      after: now ? rule[field] : "",
    }));
    return [{ id, kind: old ? "remove" : "add", fields, destinationMoved: false }];
  });
}
