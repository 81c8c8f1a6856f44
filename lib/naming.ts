/**
 * Every name this project derives (stacks, roles, Terraform addresses, provider aliases) is built
 * here. Terraform addresses are a contract: changing a function here renames resources, which
 * Terraform plans as destroy and create.
 */
import { createHash } from "node:crypto";

const ROLE_NAME_MAX = 64;

/**
 * A replication's identity, whatever the stack layout: `replication-<source bucket>`, dots as
 * hyphens. It is also the per-bucket layout's stack name (S3 keeps one replication configuration
 * per bucket), and it names what the replication creates in AWS (the alarm topic, the alarms, the
 * roles' descriptions), so that moving it into another stack renames nothing in AWS.
 */
export function replicationId(sourceBucket: string): string {
  return `replication-${sourceBucket.replace(/\./g, "-")}`;
}

/** The per-account layout's stack: every replication whose source bucket is in the account. */
export function accountStackName(account: string): string {
  return `replication-account-${account}`;
}

/** The single layout's stack: every replication, and every shared destination's side. */
export const SINGLE_STACK_NAME = "replication-all";

/** A stack the config names itself (`replications[].stack`). */
export function namedStackName(stack: string): string {
  return `replication-${stack}`;
}

/**
 * Explicit stack names that would take a stack name a layout gives (`replication-account-<account>`,
 * `replication-destination-<bucket>`, `replication-all`, `replication-state-bootstrap`).
 */
export const RESERVED_STACK_NAMES = {
  prefixes: ["account-", "destination-"],
  names: ["all", "state-bootstrap"],
} as const;

/**
 * The stack that owns a destination bucket several sources share (its versioning, bucket policy
 * and replica key). A source bucket cannot be named like this: see checkStackNamesDistinct.
 */
export function destinationStackName(bucket: string): string {
  return `replication-destination-${bucket.replace(/\./g, "-")}`;
}

/**
 * The default replication role name. IAM role names are at most 64 characters and bucket names up
 * to 63, so a long name keeps its start and gains a short hash that keeps it unique.
 */
export function defaultRoleName(sourceBucket: string): string {
  return roleNameWithin64(`s3-replication-${sourceBucket}`, sourceBucket);
}

/**
 * The alias of a replica key the stacks create when the config names none. KMS aliases hold only
 * letters, digits, `/`, `_` and `-`, so dots become dashes; two buckets can then share one default
 * alias (`logs.archive`, `logs-archive`), which checkReplicaKeyAliases refuses.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html
 */
export function defaultReplicaKeyAlias(destinationBucket: string): string {
  return `alias/s3-replica-${destinationBucket.replace(/\./g, "-")}`;
}

/** The S3 Batch Operations role that replicates a source bucket's existing objects. */
export function batchRoleName(sourceBucket: string): string {
  return roleNameWithin64(`s3-batch-replication-${sourceBucket}`, sourceBucket);
}

function roleNameWithin64(name: string, unique: string): string {
  if (name.length <= ROLE_NAME_MAX) return name;
  const hash = createHash("sha256").update(unique).digest("hex").slice(0, 8);
  return `${name.slice(0, ROLE_NAME_MAX - hash.length - 1)}-${hash}`;
}

export const BATCH_ROLE_POLICY_NAME = "S3BatchReplicationPolicy";

export const ROLE_POLICY_NAME = "S3ReplicationPermissionsPolicy";

/** Sids of the destination bucket policy statements this project writes; extra statements must not reuse them. */
export const BUCKET_POLICY_SIDS = {
  replication: "AllowReplicationFromSourceRole",
  deleteMarkers: "AllowDeleteMarkerReplication",
  ownerOverride: "AllowOwnerOverride",
  versioningCheck: "AllowReplicationVersioningCheck",
  organization: "AllowReplicationFromOrganization",
} as const;

/** Sid of a shared destination's grant to its n-th source (1-based, in config order). */
export function sourceGrantSid(n: number, sid: string = BUCKET_POLICY_SIDS.replication): string {
  return `${sid}${n}`;
}

/**
 * The default tag (every provider of a stack sets it) naming the stack that manages a resource.
 * The operator policies rely on it: a stack's KMS keys carry it from creation, and key
 * administration is allowed only on keys that carry it.
 */
export const STACK_TAG = "replication-stack";

/** Sid of the deny-without-TLS statement on buckets this project creates. */
export const TLS_ONLY_SID = "DenyInsecureTransport";

/**
 * A Terraform resource name for a bucket. Bucket names hold only [a-z0-9.-], and Terraform names
 * allow letters, digits, `_` and `-`, so dots become underscores (bucket names have no
 * underscores, so two buckets never share an address). Terraform names must not start with a digit.
 */
export function bucketAddress(kind: "source" | "destination", bucket: string): string {
  return `${kind}_${bucketSegment(bucket)}`;
}

function bucketSegment(bucket: string): string {
  return bucket.replace(/\./g, "_");
}

/**
 * The Terraform name of a bucket's versioning (and creation) in a stack: in a per-bucket stack the
 * source bucket is `source`; in a grouped stack every bucket carries its name, so that adding a
 * replication to the stack renames nothing.
 */
export function managedBucketAddress(kind: "source" | "destination", bucket: string, grouped: boolean): string {
  return kind === "source" && !grouped ? "source" : bucketAddress(kind, bucket);
}

/** The Terraform names of one replication's own resources and outputs in its stack. */
export interface ReplicationAddresses {
  /** aws_iam_role and aws_iam_role_policy of the replication role; the replication configuration. */
  readonly replication: string;
  /** The role's KMS policy (aws_iam_role_policy). */
  readonly kmsPolicy: string;
  /** The Batch Replication role and its policy. */
  readonly batchRole: string;
  readonly alarmTopic: string;
  readonly alarmEmail: string;
  readonly alarm: (kind: "failed" | "latency", ruleId: string) => string;
  readonly output: (name: string) => string;
}

/**
 * In a per-bucket stack, the names it has always had. In a grouped stack each carries the source
 * bucket (`<name>_<bucket>`). Within each resource type, no fixed part is the start of another
 * (`replication_`, `kms_replication_`, `batch_replication_`), and a bucket segment never holds
 * `__` (bucket names have no two dots in a row), which separates it from a rule's segment: so two
 * replications of one stack never share an address.
 */
export function replicationAddresses(sourceBucket: string, grouped: boolean): ReplicationAddresses {
  if (!grouped) {
    return {
      replication: "replication",
      kmsPolicy: "replication_kms",
      batchRole: "batch_replication",
      alarmTopic: "replication_alarms",
      alarmEmail: "replication_alarms_email",
      alarm: (kind, ruleId) => `${kind}_${ruleAddress(ruleId)}`,
      output: (name) => name,
    };
  }
  const b = bucketSegment(sourceBucket);
  return {
    replication: `replication_${b}`,
    kmsPolicy: `kms_replication_${b}`,
    batchRole: `batch_replication_${b}`,
    alarmTopic: `replication_alarms_${b}`,
    alarmEmail: `replication_alarms_email_${b}`,
    alarm: (kind, ruleId) => `${kind}_${b}__${ruleAddress(ruleId)}`,
    output: (name) => `${name}_${b}`,
  };
}

/**
 * The outputs of a shared destination's side: as they have always been in its own stack; keyed by
 * the bucket in a grouped stack, with `shared_` before the one name a replication's outputs also use.
 */
export function sharedDestinationOutput(name: string, bucket: string, grouped: boolean): string {
  if (!grouped) return name;
  return `${name === "replica_key_policy_statements" ? "shared_" : ""}${name}_${bucketSegment(bucket)}`;
}

/** The Terraform name of the replica KMS key (and its alias) the stack creates for a destination. */
export function replicaKeyAddress(bucket: string): string {
  return `replica_${bucketSegment(bucket)}`;
}

export const ROLE_KMS_POLICY_NAME = "S3ReplicationKmsPolicy";

/** A provider alias segment from an account name or Region: letters, digits and underscores. */
function aliasSegment(value: string): string {
  return value.replace(/-/g, "_");
}

/**
 * Provider aliases for destinations: `destination` when every rule writes to one account and
 * Region; otherwise one alias per account (`destination_<account>`), with the Region appended
 * for an account used in more than one Region.
 */
export function destinationAliases(targets: ReadonlyArray<{ account: string; region: string }>): Map<string, string> {
  const key = (t: { account: string; region: string }) => providerKey(t.account, t.region);
  const distinct = [...new Map(targets.map((t) => [key(t), t])).values()];
  const aliases = new Map<string, string>();
  if (distinct.length === 1) {
    aliases.set(key(distinct[0]), "destination");
    return aliases;
  }
  for (const t of distinct) {
    const regionsOfAccount = distinct.filter((d) => d.account === t.account).length;
    const alias =
      regionsOfAccount > 1
        ? `destination_${aliasSegment(t.account)}_${aliasSegment(t.region)}`
        : `destination_${aliasSegment(t.account)}`;
    aliases.set(key(t), alias);
  }
  return aliases;
}

/**
 * A provider alias in a grouped stack: one per account and Region, `<account>_<region>`, always
 * with the Region, so that a replication in another Region later renames nothing.
 */
export function groupedProviderAlias(account: string, region: string): string {
  return `${aliasSegment(account)}_${aliasSegment(region)}`;
}

/** The key that identifies one destination provider: an account name and a Region. */
export function providerKey(account: string, region: string): string {
  return `${account}|${region}`;
}

/** A Terraform name segment for a rule id (ids may hold any character; names may not). */
export function ruleAddress(ruleId: string): string {
  return ruleId.replace(/[^A-Za-z0-9_-]/g, "_");
}
