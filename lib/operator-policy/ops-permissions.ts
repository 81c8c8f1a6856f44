/**
 * What doctor (with --canary), backfill, status and verify call, per account, for one replication: the
 * same calls lib/ops makes, named by the IAM actions that authorize them (ops-calls.ts). A test
 * runs the tools against recording clients and checks each call they send against this.
 */
import { bucketArn, objectsArn } from "../arn";
import type { BucketLocation, Replication } from "../config/model";
import { kmsDestinations } from "../policies/kms-policies";
import type { OperatorCommand, Permission } from "./permission";

/** Where the canary writes under a rule's prefix (lib/ops/doctor/canary.ts canaryKey). */
const CANARY_FOLDER = "s3-replication-canary/";

function on(bucket: BucketLocation, actions: readonly string[], resource: string): Permission[] {
  return actions.map((action) => ({ accountId: bucket.account.accountId, action, resource }));
}

function doctorPermissions(replication: Replication): Permission[] {
  const { source, role } = replication;
  const sourceArn = bucketArn(source.partition, source.bucket);
  const permissions: Permission[] = [
    ...on(
      source,
      ["s3:GetBucketVersioning", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration"],
      sourceArn,
    ),
    ...on(source, ["iam:GetRole", "iam:SimulatePrincipalPolicy"], role.arn),
  ];
  for (const destination of replication.destinations) {
    permissions.push(
      ...on(
        destination,
        [
          "s3:GetBucketVersioning",
          "s3:GetBucketPolicy",
          "s3:GetBucketOwnershipControls",
          "s3:GetEncryptionConfiguration",
        ],
        bucketArn(destination.partition, destination.bucket),
      ),
    );
  }
  for (const destination of kmsDestinations(replication)) {
    const kms = destination.replicaKms;
    if (kms?.kind === "existing") permissions.push(...on(destination, ["kms:GetKeyPolicy"], kms.keyArn));
    if (kms?.kind === "created") {
      // Found through its alias: the key's ARN is not known before it exists.
      const key = `arn:${destination.partition}:kms:${destination.region}:${destination.account.accountId}:key/*`;
      for (const action of ["kms:DescribeKey", "kms:GetKeyPolicy"]) {
        permissions.push({
          accountId: destination.account.accountId,
          action,
          resource: key,
          condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": kms.alias } },
        });
      }
    }
  }
  // The canary: one object per enabled rule, under the rule's prefix, removed with every version.
  for (const rule of replication.rules.filter((r) => r.enabled)) {
    const folder = `${rule.filter.prefix ?? ""}${CANARY_FOLDER}`;
    const sourceObjects = objectsArn(source.partition, source.bucket, folder);
    const destinationObjects = objectsArn(rule.destination.partition, rule.destination.bucket, folder);
    permissions.push(
      ...on(
        source,
        [
          "s3:PutObject",
          ...(rule.filter.tags.length > 0 ? ["s3:PutObjectTagging"] : []),
          "s3:GetObject",
          "s3:DeleteObjectVersion",
        ],
        sourceObjects,
      ),
      ...on(source, ["s3:ListBucketVersions"], sourceArn),
      ...on(rule.destination, ["s3:GetObject", "s3:DeleteObjectVersion"], destinationObjects),
      ...on(
        rule.destination,
        ["s3:ListBucketVersions"],
        bucketArn(rule.destination.partition, rule.destination.bucket),
      ),
    );
    if (rule.replicateSseKms && source.sseKmsKeyArns[0]) {
      // Writing an SSE-KMS object asks KMS for a data key under the caller's own permissions.
      permissions.push(...on(source, ["kms:GenerateDataKey"], source.sseKmsKeyArns[0]));
    }
    if (rule.ownerOverride || rule.destination.objectOwnership === "BucketOwnerEnforced") {
      permissions.push(
        ...on(rule.destination, ["s3:GetObjectAcl"], destinationObjects),
        ...on(rule.destination, ["s3:GetBucketAcl"], bucketArn(rule.destination.partition, rule.destination.bucket)),
      );
    }
  }
  return permissions;
}

function jobs(replication: Replication): string {
  const { source } = replication;
  return `arn:${source.partition}:s3:${source.region}:${source.account.accountId}:job/*`;
}

function backfillPermissions(replication: Replication): Permission[] {
  const { source, batch } = replication;
  return [
    ...on(source, ["s3:CreateJob"], "*"),
    // The job's role, passed only to S3 Batch Operations, which assumes it.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
    {
      accountId: source.account.accountId,
      action: "iam:PassRole",
      resource: batch.roleArn,
      condition: { StringEquals: { "iam:PassedToService": "batchoperations.s3.amazonaws.com" } },
    },
    // --watch follows the job as status does.
    ...on(source, ["s3:DescribeJob"], jobs(replication)),
  ];
}

/**
 * `npm run verify`'s own calls besides Terraform's plan (the plan's reads without the state lock,
 * terraform-permissions.ts): doctor's, with the canary (its only writes: s3:PutObject,
 * s3:PutObjectTagging and s3:DeleteObjectVersion under each rule's s3-replication-canary/ folder);
 * the last backfill job (s3:ListJobs has no resource type, so "*"; s3:DescribeJob on the account's
 * jobs); and, where a rule has replication metrics, cloudwatch:GetMetricStatistics (no resource
 * type: "*"). Actions, resource types and access levels, from the Service Authorization Reference:
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */
function verifyPermissions(replication: Replication): Permission[] {
  const { source } = replication;
  return [
    ...doctorPermissions(replication),
    ...on(source, ["s3:ListJobs"], "*"),
    ...on(source, ["s3:DescribeJob"], jobs(replication)),
    ...(replication.rules.some((r) => r.enabled && r.metrics)
      ? on(source, ["cloudwatch:GetMetricStatistics"], "*")
      : []),
  ];
}

/** The permissions one of the live tools needs for one replication. */
export function opsPermissions(
  replication: Replication,
  command: Exclude<OperatorCommand, "plan" | "apply">,
): Permission[] {
  if (command === "doctor") return doctorPermissions(replication);
  if (command === "verify") return verifyPermissions(replication);
  if (command === "backfill") return backfillPermissions(replication);
  return on(replication.source, ["s3:DescribeJob"], jobs(replication));
}
