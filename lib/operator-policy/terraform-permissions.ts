/**
 * What Terraform (hashicorp/aws) calls for each resource the synthesized stacks contain: `plan`
 * refreshes (reads), `apply` also creates, updates and deletes. Read from the stacks' JSON, so the
 * policy names exactly the buckets, roles, keys, alarms and topics a stack manages, in the account
 * of the provider each resource is on, plus the state backend's objects.
 * The actions follow the provider's create/read/update/delete functions for each resource.
 * @see https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/s3
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
 */
import { bucketArn, partitionOf } from "../arn";
import type { Permission } from "./permission";

type Attributes = Record<string, unknown>;

export interface ProviderAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

interface ResourcePermissions {
  /** Plan: what the refresh reads. */
  readonly read: readonly string[];
  /** Apply: what create, update and delete call, besides the reads. */
  readonly write: readonly string[];
  /** The ARNs the actions apply to. */
  readonly resources: (attributes: Attributes, at: ProviderAccount) => string[];
  /** Actions IAM cannot scope to a resource: granted on "*". */
  readonly unscopedWrite?: readonly string[];
  readonly unscopedRead?: readonly string[];
  /** Further permissions on other resources (iam:PassRole for a replication configuration). */
  readonly extra?: (attributes: Attributes, at: ProviderAccount) => Array<{ action: string; resource: string }>;
}

const bucketOf = (a: Attributes, at: ProviderAccount) => [bucketArn(at.partition, String(a.bucket))];
const keyPattern = (at: ProviderAccount) => `arn:${at.partition}:kms:${at.region}:${at.accountId}:key/*`;

const BUCKET_SUBRESOURCE = (read: string, write: string[]): ResourcePermissions => ({
  read: [read],
  write,
  resources: bucketOf,
});

export const TERRAFORM_PERMISSIONS: Readonly<Record<string, ResourcePermissions>> = {
  aws_s3_bucket: {
    // The provider reads every bucket-level setting on refresh.
    read: [
      "s3:ListBucket",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketWebsite",
      "s3:GetBucketVersioning",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketLogging",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketTagging",
      "s3:GetBucketPolicy",
    ],
    write: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging"],
    resources: bucketOf,
    // Creating a bucket with Object Lock turns on versioning and writes the lock configuration.
    extra: (a, at) =>
      a.object_lock_enabled === true
        ? ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"].map((action) => ({
            action,
            resource: bucketArn(at.partition, String(a.bucket)),
          }))
        : [],
  },
  aws_s3_bucket_versioning: BUCKET_SUBRESOURCE("s3:GetBucketVersioning", ["s3:PutBucketVersioning"]),
  aws_s3_bucket_policy: BUCKET_SUBRESOURCE("s3:GetBucketPolicy", ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]),
  // Deleting ownership controls or a public access block is authorized as the Put action.
  aws_s3_bucket_ownership_controls: BUCKET_SUBRESOURCE("s3:GetBucketOwnershipControls", [
    "s3:PutBucketOwnershipControls",
  ]),
  aws_s3_bucket_public_access_block: BUCKET_SUBRESOURCE("s3:GetBucketPublicAccessBlock", [
    "s3:PutBucketPublicAccessBlock",
  ]),
  aws_s3_bucket_server_side_encryption_configuration: BUCKET_SUBRESOURCE("s3:GetEncryptionConfiguration", [
    "s3:PutEncryptionConfiguration",
  ]),
  aws_s3_bucket_object_lock_configuration: BUCKET_SUBRESOURCE("s3:GetBucketObjectLockConfiguration", [
    "s3:PutBucketObjectLockConfiguration",
  ]),
  // DeleteBucketReplication is authorized as s3:PutReplicationConfiguration; putting a configuration
  // passes its role to S3, which needs iam:PassRole on it.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
  aws_s3_bucket_replication_configuration: {
    ...BUCKET_SUBRESOURCE("s3:GetReplicationConfiguration", ["s3:PutReplicationConfiguration"]),
    extra: (a) => (typeof a.role === "string" ? [{ action: "iam:PassRole", resource: a.role }] : []),
  },
  aws_iam_role: {
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    write: [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:ListInstanceProfilesForRole",
      "iam:PutRolePermissionsBoundary",
      "iam:DeleteRolePermissionsBoundary",
    ],
    resources: (a, at) => [`arn:${at.partition}:iam::${at.accountId}:role${String(a.path ?? "/")}${String(a.name)}`],
  },
  aws_iam_role_policy: {
    read: ["iam:GetRolePolicy"],
    write: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    // The role is named by its name; its path comes from the role resource of the same stack.
    resources: (a, at) => [
      `arn:${at.partition}:iam::${at.accountId}:role${String(a.role_path ?? "/")}${String(a.role)}`,
    ],
  },
  aws_kms_key: {
    read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    write: [
      "kms:PutKeyPolicy",
      "kms:EnableKeyRotation",
      "kms:DisableKeyRotation",
      "kms:UpdateKeyDescription",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
    ],
    // A new key's id is not known before it exists: every key of the account and Region.
    resources: (_a, at) => [keyPattern(at)],
    unscopedWrite: ["kms:CreateKey"],
  },
  aws_kms_alias: {
    read: [],
    write: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
    // An alias call is authorized on the alias and on the key it points to.
    resources: (a, at) => [`arn:${at.partition}:kms:${at.region}:${at.accountId}:${String(a.name)}`, keyPattern(at)],
    unscopedRead: ["kms:ListAliases"],
  },
  aws_cloudwatch_metric_alarm: {
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    write: [
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:DeleteAlarms",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ],
    resources: (a, at) => [`arn:${at.partition}:cloudwatch:${at.region}:${at.accountId}:alarm:${String(a.alarm_name)}`],
  },
  aws_sns_topic: {
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    write: ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"],
    resources: (a, at) => [`arn:${at.partition}:sns:${at.region}:${at.accountId}:${String(a.name)}`],
  },
  // IAM authorizes subscription calls on the topic.
  aws_sns_topic_subscription: {
    read: ["sns:GetSubscriptionAttributes"],
    write: ["sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
    resources: (a) => [String(a.topic_arn)],
  },
};

export class UnknownResourceError extends Error {}

/** The account of a state backend that names no credentials: the environment's, unknown here. */
export const STATE_BACKEND_ACCOUNT = "state-backend";

interface StackJson {
  readonly provider?: { aws?: Array<Record<string, unknown>> };
  readonly resource?: Record<string, Record<string, Attributes>>;
  readonly terraform?: { backend?: { s3?: Record<string, unknown> } };
}

/** Each provider key ("aws" or "aws.<alias>") with the account and Region it is pinned to. */
function providerAccounts(stack: StackJson): Map<string, ProviderAccount & { profile?: string; roleArn?: string }> {
  const accounts = new Map<string, ProviderAccount & { profile?: string; roleArn?: string }>();
  for (const provider of stack.provider?.aws ?? []) {
    const region = String(provider.region);
    const assumeRole = (provider.assume_role as Array<{ role_arn?: string }> | undefined)?.[0];
    accounts.set(provider.alias ? `aws.${provider.alias}` : "aws", {
      accountId: String((provider.allowed_account_ids as string[])[0]),
      region,
      partition: partitionOf(region),
      profile: provider.profile as string | undefined,
      roleArn: assumeRole?.role_arn,
    });
  }
  return accounts;
}

/**
 * Resolves `${aws_x.name.attr}` to the referenced resource's own literal, so a subscription's
 * topic_arn becomes the topic's ARN and a reference to a bucket its name.
 */
function resolved(value: unknown, stack: StackJson, at: ProviderAccount): unknown {
  if (typeof value !== "string") return value;
  const reference = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(\w+)\}$/.exec(value);
  if (!reference) return value;
  const [, type, name, attribute] = reference;
  const target = stack.resource?.[type]?.[name];
  if (!target) return value;
  if (attribute === "arn") return TERRAFORM_PERMISSIONS[type]?.resources(target, at)[0] ?? value;
  return target[attribute === "id" ? "bucket" : attribute] ?? target.name ?? value;
}

export interface TerraformPermissions {
  readonly plan: Permission[];
  readonly apply: Permission[];
}

/** The permissions `plan` and `apply` of one synthesized stack need, per account. */
export function terraformPermissions(stack: StackJson): TerraformPermissions {
  const accounts = providerAccounts(stack);
  const plan: Permission[] = [];
  const apply: Permission[] = [];
  const add = (accountId: string, actions: readonly string[], resources: readonly string[], write: boolean) => {
    for (const action of actions) {
      for (const resource of resources) {
        const permission = { accountId, action, resource };
        apply.push(permission);
        if (!write) plan.push(permission);
      }
    }
  };
  const rolePaths = new Map(
    Object.values(stack.resource?.aws_iam_role ?? {}).map((role) => [String(role.name), String(role.path ?? "/")]),
  );
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    const permissions = TERRAFORM_PERMISSIONS[type];
    if (!permissions) {
      throw new UnknownResourceError(
        `the stacks contain ${type}, which lib/operator-policy/terraform-permissions.ts has no permissions for: add them`,
      );
    }
    for (const raw of Object.values(resources)) {
      const at = accounts.get(String(raw.provider ?? "aws").replace(/^\$\{|\}$/g, ""));
      if (!at) continue;
      const attributes: Attributes = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, resolved(v, stack, at)]),
      );
      if (type === "aws_iam_role_policy") attributes.role_path = rolePaths.get(String(attributes.role));
      const arns = permissions.resources(attributes, at);
      add(at.accountId, permissions.read, arns, false);
      add(at.accountId, permissions.write, arns, true);
      add(at.accountId, permissions.unscopedRead ?? [], ["*"], false);
      add(at.accountId, permissions.unscopedWrite ?? [], ["*"], true);
      for (const { action, resource } of permissions.extra?.(attributes, at) ?? []) {
        add(at.accountId, [action], [resource], true);
      }
    }
  }
  const backend = stack.terraform?.backend?.s3;
  if (backend) {
    // The state and, with use_lockfile, its lock object: plan takes the lock too.
    // https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
    // The backend's own credentials: a provider's when it names the same profile or role, else
    // whatever Terraform finds in the environment, whose account the config does not say.
    const owner = [...accounts.values()].find(
      (a) => (backend.profile && a.profile === backend.profile) || (backend.role_arn && a.roleArn === backend.role_arn),
    );
    const accountId = owner?.accountId ?? STATE_BACKEND_ACCOUNT;
    const bucket = bucketArn(partitionOf(String(backend.region)), String(backend.bucket));
    const state = `${bucket}/${String(backend.key)}`;
    const lock = `${state}.tflock`;
    for (const list of [plan, apply]) {
      list.push(
        { accountId, action: "s3:ListBucket", resource: bucket },
        { accountId, action: "s3:GetObject", resource: state },
        ...(backend.use_lockfile
          ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({ accountId, action, resource: lock }))
          : []),
      );
    }
    apply.push({ accountId, action: "s3:PutObject", resource: state });
  }
  return { plan, apply };
}
