/**
 * What S3 sends when it replicates, per feature: which request, by whom, on what, and which
 * context keys IAM evaluates it with. Written from AWS's pages (cited per feature), on purpose
 * apart from lib/perms.ts and lib/policies/, which build the policies: preflight proves the
 * synthesized policies against this statement, so a wrong constant in the builders cannot fool
 * both. A test keeps lib/preflight/ from importing them.
 */
import { partitionOfRegion } from "../regions";

/** The service principals that send replication's requests. */
export const S3_PRINCIPAL = "s3.amazonaws.com";
export const BATCH_OPERATIONS_PRINCIPAL = "batchoperations.s3.amazonaws.com";

/**
 * Context keys of the requests. aws:PrincipalArn is the role's ARN for a request made with a role
 * session, aws:PrincipalAccount its account, aws:PrincipalOrgID its organization.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export const CONTEXT = {
  principalArn: "aws:PrincipalArn",
  principalAccount: "aws:PrincipalAccount",
  principalOrgId: "aws:PrincipalOrgID",
  sourceAccount: "aws:SourceAccount",
  sourceArn: "aws:SourceArn",
  /**
   * The account that owns the bucket of an object request; listed for s3:ReplicateObject,
   * s3:ReplicateDelete, s3:ReplicateTags and s3:ObjectOwnerOverrideToBucketOwner.
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
   */
  resourceAccount: "s3:ResourceAccount",
  /**
   * The service that called KMS for the principal: `s3.<region>.amazonaws.com` for S3.
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   */
  viaService: "kms:ViaService",
  /**
   * S3's encryption context: the object's ARN, or the bucket's ARN when the bucket uses S3 Bucket Keys.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
   */
  encryptionContext: "kms:EncryptionContext:aws:s3:arn",
  /**
   * The aliases of the key a KMS request uses, whatever names the key in the request.
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
   */
  resourceAliases: "kms:ResourceAliases",
} as const;

/** What a request names. */
export type Target =
  | "role"
  | "sourceBucket"
  | "sourceObject"
  | "destinationObject"
  | "sourceKey"
  | "replicaKey"
  | "reportObject";

export interface S3Request<T extends Target = Target> {
  readonly action: string;
  readonly on: T;
}

/** What the role's S3 requests for a rule name. */
export type BucketTarget = Extract<Target, "sourceBucket" | "sourceObject" | "destinationObject">;

/**
 * S3 assumes the role the replication configuration names; the request carries the source
 * bucket's account and ARN (aws:SourceAccount, aws:SourceArn).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export const ASSUMES_ROLE: S3Request = { action: "sts:AssumeRole", on: "role" };

/**
 * Every rule: S3 reads the replication configuration and lists the source bucket (which is how
 * it sees delete markers), reads the object version, its ACL and its tags, then writes the
 * replica and its tags into the destination. AWS's pages disagree on whether s3:ReplicateObject
 * alone covers tags: both are proved.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
 */
export const READS_OBJECT_VERSION: S3Request<BucketTarget> = {
  action: "s3:GetObjectVersionForReplication",
  on: "sourceObject",
};
export const WRITES_REPLICA: S3Request<BucketTarget> = { action: "s3:ReplicateObject", on: "destinationObject" };
export const WRITES_TAGS: S3Request<BucketTarget> = { action: "s3:ReplicateTags", on: "destinationObject" };
export const READS_SOURCE: readonly S3Request<BucketTarget>[] = [
  { action: "s3:GetReplicationConfiguration", on: "sourceBucket" },
  { action: "s3:ListBucket", on: "sourceBucket" },
  READS_OBJECT_VERSION,
  { action: "s3:GetObjectVersionAcl", on: "sourceObject" },
  { action: "s3:GetObjectVersionTagging", on: "sourceObject" },
];

/**
 * A rule that replicates delete markers: S3 writes them with s3:ReplicateDelete
 * (DstDelObjNotPermitted when denied). Without such a rule S3 sends none.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-marker-replication.html
 */
export const REPLICATES_DELETE_MARKERS: S3Request<BucketTarget> = {
  action: "s3:ReplicateDelete",
  on: "destinationObject",
};

/**
 * A rule whose replicas change owner (AccessControlTranslation): the role policy and the
 * destination bucket policy must both allow it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
 */
export const OVERRIDES_OWNER: S3Request<BucketTarget> = {
  action: "s3:ObjectOwnerOverrideToBucketOwner",
  on: "destinationObject",
};

/**
 * A rule that replicates SSE-KMS objects: S3 decrypts the source object with its key and
 * encrypts the replica with the replica key (GenerateDataKey too, for plaintext sources into a
 * bucket whose default encryption is SSE-KMS), each through S3 in that key's Region.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export const DECRYPTS_SOURCE: S3Request = { action: "kms:Decrypt", on: "sourceKey" };
export const ENCRYPTS: S3Request = { action: "kms:Encrypt", on: "replicaKey" };
export const ENCRYPTS_REPLICA: readonly S3Request[] = [ENCRYPTS, { action: "kms:GenerateDataKey", on: "replicaKey" }];

/**
 * `npm run backfill` (Batch Replication with an S3-generated manifest): Batch Operations assumes
 * its role, starts replication of the source objects, reads the replication configuration,
 * builds the inventory and writes the completion report.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
 */
export const BATCH_REPLICATION: readonly S3Request[] = [
  { action: "s3:InitiateReplication", on: "sourceObject" },
  { action: "s3:GetReplicationConfiguration", on: "sourceBucket" },
  { action: "s3:PutInventoryConfiguration", on: "sourceBucket" },
  { action: "s3:PutObject", on: "reportObject" },
];

/** The requests one rule makes S3 send, by its features. */
export function requestsOf(rule: {
  readonly deleteMarkerReplication: boolean;
  readonly ownerOverride: boolean;
}): S3Request<BucketTarget>[] {
  return [
    ...READS_SOURCE,
    WRITES_REPLICA,
    ...(rule.deleteMarkerReplication ? [REPLICATES_DELETE_MARKERS] : []),
    WRITES_TAGS,
    ...(rule.ownerOverride ? [OVERRIDES_OWNER] : []),
  ];
}

/**
 * S3's endpoint in a Region, as kms:ViaService names it: the partition's DNS suffix (China and
 * the iso partitions have their own).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function s3Endpoint(region: string): string {
  return `s3.${region}.${partitionOfRegion(region)?.dnsSuffix ?? "amazonaws.com"}`;
}
