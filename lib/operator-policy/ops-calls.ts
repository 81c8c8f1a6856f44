/**
 * The AWS calls doctor, backfill and status make, as IAM sees them: each SDK command the tools
 * send, the action IAM authorizes it with, and the resource. The coverage test finds every
 * `new XxxCommand(` in lib/ops and lib/cli and fails when one is missing here.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations.html ("Permissions" of each)
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
import { bucketArn } from "../arn";
import type { Replication } from "../config/model";
import type { Permission } from "./permission";

/** Where a call goes, for building its resource ARN. */
export interface CallTarget {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly replication: Replication;
}

type Input = Record<string, unknown>;

export interface OpsCall {
  /** The IAM actions that authorize the call; none for sts:GetCallerIdentity, which needs none. */
  readonly actions: (input: Input) => string[];
  readonly resource: (input: Input, at: CallTarget) => string;
  readonly condition?: (input: Input) => Permission["condition"];
}

const bucket = (input: Input, at: CallTarget) => bucketArn(at.partition, String(input.Bucket));
const object = (input: Input, at: CallTarget) =>
  `${bucketArn(at.partition, String(input.Bucket))}/${String(input.Key)}`;
const keyArnPattern = (at: CallTarget) => `arn:${at.partition}:kms:${at.region}:${at.accountId}:key/*`;
const roleArnOf = (name: string, at: CallTarget) =>
  at.replication.role.name === name ? at.replication.role.arn : `arn:${at.partition}:iam::${at.accountId}:role/${name}`;

export const OPS_CALLS: Readonly<Record<string, OpsCall>> = {
  // "No permissions are required to perform this operation."
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  GetCallerIdentityCommand: { actions: () => [], resource: () => "*" },
  GetBucketVersioningCommand: { actions: () => ["s3:GetBucketVersioning"], resource: bucket },
  GetBucketReplicationCommand: { actions: () => ["s3:GetReplicationConfiguration"], resource: bucket },
  GetBucketPolicyCommand: { actions: () => ["s3:GetBucketPolicy"], resource: bucket },
  GetBucketOwnershipControlsCommand: { actions: () => ["s3:GetBucketOwnershipControls"], resource: bucket },
  GetBucketEncryptionCommand: { actions: () => ["s3:GetEncryptionConfiguration"], resource: bucket },
  GetBucketAclCommand: { actions: () => ["s3:GetBucketAcl"], resource: bucket },
  ListObjectVersionsCommand: { actions: () => ["s3:ListBucketVersions"], resource: bucket },
  GetObjectAclCommand: { actions: () => ["s3:GetObjectAcl"], resource: object },
  // HeadObject is authorized as s3:GetObject.
  HeadObjectCommand: { actions: () => ["s3:GetObject"], resource: object },
  PutObjectCommand: {
    actions: (input) => ["s3:PutObject", ...(input.Tagging ? ["s3:PutObjectTagging"] : [])],
    resource: object,
  },
  // A DeleteObject with a VersionId is authorized as s3:DeleteObjectVersion.
  DeleteObjectCommand: {
    actions: (input) => [input.VersionId ? "s3:DeleteObjectVersion" : "s3:DeleteObject"],
    resource: object,
  },
  GetRoleCommand: { actions: () => ["iam:GetRole"], resource: (input, at) => roleArnOf(String(input.RoleName), at) },
  SimulatePrincipalPolicyCommand: {
    actions: () => ["iam:SimulatePrincipalPolicy"],
    resource: (input) => String(input.PolicySourceArn),
  },
  // By alias: IAM authorizes it on the key the alias points to, so the alias goes in a condition.
  DescribeKeyCommand: {
    actions: () => ["kms:DescribeKey"],
    resource: (input, at) => (String(input.KeyId).startsWith("arn:") ? String(input.KeyId) : keyArnPattern(at)),
    condition: (input) =>
      String(input.KeyId).startsWith("alias/")
        ? { "ForAnyValue:StringEquals": { "kms:ResourceAliases": String(input.KeyId) } }
        : undefined,
  },
  GetKeyPolicyCommand: { actions: () => ["kms:GetKeyPolicy"], resource: (input) => String(input.KeyId) },
  // CreateJob has no resource type; passing the job's role needs iam:PassRole on that role.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html
  CreateJobCommand: { actions: () => ["s3:CreateJob"], resource: () => "*" },
  // ListJobs and GetMetricStatistics have no resource type: IAM authorizes them on "*".
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
  ListJobsCommand: { actions: () => ["s3:ListJobs"], resource: () => "*" },
  GetMetricStatisticsCommand: { actions: () => ["cloudwatch:GetMetricStatistics"], resource: () => "*" },
  DescribeJobCommand: {
    actions: () => ["s3:DescribeJob"],
    resource: (input, at) => `arn:${at.partition}:s3:${at.region}:${at.accountId}:job/${String(input.JobId)}`,
  },
};
