/**
 * Every name this project derives (stacks, roles, Terraform addresses, provider aliases) is built
 * here. Terraform addresses are a contract: changing a function here renames resources, which
 * Terraform plans as destroy and create.
 */
import { createHash } from "node:crypto";

const ROLE_NAME_MAX = 64;

/** One stack per source bucket: S3 keeps one replication configuration per bucket. */
export function stackName(sourceBucket: string): string {
  return `replication-${sourceBucket.replace(/\./g, "-")}`;
}

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

/** The key that identifies one destination provider: an account name and a Region. */
export function providerKey(account: string, region: string): string {
  return `${account}|${region}`;
}

/** A Terraform name segment for a rule id (ids may hold any character; names may not). */
export function ruleAddress(ruleId: string): string {
  return ruleId.replace(/[^A-Za-z0-9_-]/g, "_");
}
