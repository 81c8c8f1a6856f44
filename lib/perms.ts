/**
 * The IAM actions replication needs, in one place. Policies and (later) preflight read these
 * constants; wiring code never spells an action.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
import { partitionOfRegion } from "./regions";

/** On the source bucket. s3:ListBucket is what lets S3 see delete markers. */
export const SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"] as const;

/**
 * On the source objects. s3:GetObjectVersionForReplication (not s3:GetObjectVersion) is the read
 * that also covers SSE-KMS objects; without s3:GetObjectVersionTagging objects replicate but
 * their tags do not.
 */
export const SOURCE_OBJECT_ACTIONS = [
  "s3:GetObjectVersionForReplication",
  "s3:GetObjectVersionAcl",
  "s3:GetObjectVersionTagging",
] as const;

/**
 * On the destination objects, in the role policy and in the destination bucket policy alike: the
 * replica and its tags. AWS's pages disagree on whether s3:ReplicateObject alone covers tags;
 * granting s3:ReplicateTags too is the safe reading.
 */
export const REPLICATE_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateTags"] as const;

/**
 * Writes a delete marker into the destination: needed only where a rule replicates delete markers
 * ("s3:ReplicateObject and s3:ReplicateDelete ... allow Amazon S3 to replicate objects or delete
 * markers"; a denied one fails as DstDelObjNotPermitted).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
 */
export const REPLICATE_DELETE_ACTION = "s3:ReplicateDelete";

/**
 * The account that owns the bucket a request writes to. IAM lists it for s3:ReplicateObject,
 * s3:ReplicateDelete, s3:ReplicateTags and s3:ObjectOwnerOverrideToBucketOwner, so the role's
 * writes can be kept to buckets of the destination account: a bucket name deleted and registered
 * again by another account does not receive replicas.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
export const S3_RESOURCE_ACCOUNT = "s3:ResourceAccount";

/**
 * Needed in both the role policy and the destination bucket policy when replicas change owner
 * (AccessControlTranslation Owner=Destination).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
 */
export const OWNER_OVERRIDE_ACTION = "s3:ObjectOwnerOverrideToBucketOwner";

/**
 * Read-only, on the destination bucket in its bucket policy. AWS's walkthroughs and the console's
 * generated policy grant it; whether S3 needs it cross-account is undocumented, and it reveals
 * nothing but the versioning status. The guide also grants s3:PutBucketVersioning: left out on
 * purpose, because it would let the source account suspend versioning on the destination.
 */
export const DESTINATION_BUCKET_ACTIONS = ["s3:GetBucketVersioning"] as const;

export const ASSUME_ROLE_ACTION = "sts:AssumeRole";
export const S3_SERVICE_PRINCIPAL = "s3.amazonaws.com";

/**
 * On the source objects when the source bucket has Object Lock: S3 reads retention and legal
 * hold to replicate them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
 */
export const OBJECT_LOCK_SOURCE_ACTIONS = ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] as const;

/**
 * KMS, for SSE-KMS objects: decrypt with the source key, encrypt replicas with the replica key.
 * kms:GenerateDataKey is also needed when S3 encrypts plaintext sources with the destination's
 * default SSE-KMS key; with S3 Bucket Keys, S3 also decrypts with the replica key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export const KMS_DECRYPT_ACTION = "kms:Decrypt";
export const KMS_REPLICA_ACTIONS = ["kms:Encrypt", "kms:GenerateDataKey"] as const;

/** The KMS condition keys AWS recommends for scoping replication's KMS use to S3. */
export const KMS_VIA_SERVICE = "kms:ViaService";
export const KMS_S3_CONTEXT = "kms:EncryptionContext:aws:s3:arn";

/**
 * The aliases of the key a request uses: multi-valued (hence ForAnyValue), valid in IAM policies
 * only, for every operation authorized on a key (Encrypt, GenerateDataKey, Decrypt), whatever
 * identifies the key in the request. Lets the role policy name a key another stack creates,
 * whose ARN it cannot know, by its alias instead of every key of the account.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
 */
export const KMS_RESOURCE_ALIASES = "kms:ResourceAliases";

/** S3's endpoint in a Region, as kms:ViaService names it (China and the iso partitions use their own domains). */
export function s3ServiceEndpoint(region: string): string {
  return `s3.${region}.${partitionOfRegion(region)?.dnsSuffix ?? "amazonaws.com"}`;
}

/**
 * The S3 Batch Operations role that replicates existing objects (Batch Replication). The
 * replication role still performs the copies; this role only starts them and writes the report.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
 */
export const BATCH_OPERATIONS_PRINCIPAL = "batchoperations.s3.amazonaws.com";
export const BATCH_SOURCE_OBJECT_ACTIONS = ["s3:InitiateReplication"] as const;
/** With an S3-generated manifest, the job reads the replication configuration and builds an inventory. */
export const BATCH_SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"] as const;
export const BATCH_REPORT_ACTIONS = ["s3:PutObject"] as const;
