/**
 * What Terraform (hashicorp/aws) calls for each resource the synthesized stacks contain: `plan`
 * refreshes (reads), `apply` also creates, updates and deletes. Read from the stacks' JSON, so the
 * policy names exactly the buckets, roles, keys, alarms and topics a stack manages, in the account
 * of the provider each resource is on, plus the state backend's objects.
 * The actions follow the provider's create/read/update/delete functions for each resource.
 *
 * Writes that could hand their holder more than the stacks' resources follow the delegation
 * pattern: passing a role only to the service that uses it, role changes only under the
 * configured permissions boundary (and never removing it), keys created only with the stack's
 * tag and administered only while they carry it.
 * @see https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/s3
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate
 */
import { bucketArn, partitionOf } from "../arn";
import { STACK_TAG } from "../naming";
import type { Permission } from "./permission";

type Attributes = Record<string, unknown>;

export interface ProviderAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The provider's default tags: every taggable resource of it carries them from creation. */
  readonly tags: Readonly<Record<string, string>>;
}

type Condition = NonNullable<Permission["condition"]>;

/** Permissions a resource ARN alone cannot say: with a condition, or on another resource. */
interface Grant {
  readonly actions: readonly string[];
  readonly resource: string;
  readonly condition?: Condition;
  /** Only apply needs it (a create, update or delete); plan reads the others too. */
  readonly write: boolean;
  /** A word for the statement's Sid, where the grant needs one to be read right. */
  readonly note?: Permission["note"];
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
  /** Grants with a condition, or on another resource (iam:PassRole for a replication configuration). */
  readonly grants?: (attributes: Attributes, at: ProviderAccount) => Grant[];
}

const bucketOf = (a: Attributes, at: ProviderAccount) => [bucketArn(at.partition, String(a.bucket))];
const keyPattern = (at: ProviderAccount) => `arn:${at.partition}:kms:${at.region}:${at.accountId}:key/*`;
const aliasArn = (at: ProviderAccount, name: unknown) =>
  `arn:${at.partition}:kms:${at.region}:${at.accountId}:${String(name)}`;
const roleArn = (at: ProviderAccount, path: unknown, name: unknown) =>
  `arn:${at.partition}:iam::${at.accountId}:role${String(path ?? "/")}${String(name)}`;

/**
 * Role changes that could make the role do anything: with a boundary in the config, only under
 * that boundary (iam:PermissionsBoundary is the boundary a create or put sets, or the role already
 * has), so whatever policy or trust its holder writes, the role can do no more than the boundary
 * allows. Without one, unconditioned, with a Sid that says so.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary
 */
function roleWrites(
  role: string,
  boundary: unknown,
  actions: readonly string[],
  boundaryActions: readonly string[] = [],
) {
  return [
    typeof boundary === "string"
      ? {
          actions: [...actions, ...boundaryActions],
          resource: role,
          condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
          write: true,
        }
      : { actions, resource: role, write: true, note: "RoleWithoutPermissionsBoundary" as const },
  ];
}

/** The stack tag its provider gives every resource; a stack without it cannot be scoped. */
function stackTagOf(at: ProviderAccount): string {
  const value = at.tags[STACK_TAG];
  if (!value) throw new UnknownResourceError(`a provider of account ${at.accountId} sets no ${STACK_TAG} default tag`);
  return value;
}

/** A key this stack created: it carries the stack tag. */
const taggedKey = (at: ProviderAccount): Condition => ({
  StringEquals: { [`aws:ResourceTag/${STACK_TAG}`]: stackTagOf(at) },
});

/**
 * KMS key permissions: create only with the stack tag and the provider's tag keys (aws:RequestTag,
 * aws:TagKeys); tag at creation (KMS asks kms:TagResource on every key of the account and Region,
 * so it is limited to keys without aliases, which a new key is and the account's named keys are
 * not); read, rotate, describe, change the policy and the tags only of keys with the stack tag
 * (aws:ResourceTag), never removing that tag.
 * https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requesttag
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tagkeys
 */
function keyGrants(a: Attributes, at: ProviderAccount): Grant[] {
  const tag = stackTagOf(at);
  const tagKeys = [
    ...new Set([...Object.keys(at.tags), ...Object.keys((a.tags as Attributes | undefined) ?? {})]),
  ].sort();
  const requested: Condition = {
    StringEquals: { [`aws:RequestTag/${STACK_TAG}`]: tag },
    "ForAllValues:StringEquals": { "aws:TagKeys": tagKeys },
  };
  const key = keyPattern(at);
  return [
    { actions: ["kms:CreateKey"], resource: "*", condition: requested, write: true },
    {
      actions: ["kms:TagResource"],
      resource: key,
      condition: { ...requested, Null: { "kms:ResourceAliases": "true" } },
      write: true,
    },
    {
      actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
      resource: key,
      condition: taggedKey(at),
      write: false,
    },
    {
      actions: ["kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:UpdateKeyDescription"],
      resource: key,
      condition: taggedKey(at),
      write: true,
    },
    {
      actions: ["kms:TagResource"],
      resource: key,
      condition: { ...taggedKey(at), "ForAllValues:StringEquals": { "aws:TagKeys": tagKeys } },
      write: true,
    },
    {
      actions: ["kms:UntagResource"],
      resource: key,
      condition: { ...taggedKey(at), "ForAllValues:StringNotEquals": { "aws:TagKeys": [STACK_TAG] } },
      write: true,
    },
  ];
}

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
    grants: (a, at) =>
      a.object_lock_enabled === true
        ? [
            {
              actions: ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"],
              resource: bucketArn(at.partition, String(a.bucket)),
              write: true,
            },
          ]
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
  // passes its role to S3, which needs iam:PassRole on it: only to S3 (iam:PassedToService), so the
  // role cannot be handed to a service its holder controls (an EC2 instance, a Lambda function).
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
  aws_s3_bucket_replication_configuration: {
    ...BUCKET_SUBRESOURCE("s3:GetReplicationConfiguration", ["s3:PutReplicationConfiguration"]),
    grants: (a) =>
      typeof a.role === "string"
        ? [
            {
              actions: ["iam:PassRole"],
              resource: a.role,
              condition: { StringEquals: { "iam:PassedToService": "s3.amazonaws.com" } },
              write: true,
            },
          ]
        : [],
  },
  aws_iam_role: {
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    // IAM has no permissions-boundary condition for these: tags, and listing before a delete.
    write: ["iam:TagRole", "iam:UntagRole", "iam:ListInstanceProfilesForRole"],
    resources: (a, at) => [roleArn(at, a.path, a.name)],
    grants: (a, at) =>
      roleWrites(
        roleArn(at, a.path, a.name),
        a.permissions_boundary,
        ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy"],
        // Setting the boundary is allowed only to the configured one; removing it never
        // (iam:DeleteRolePermissionsBoundary is in no policy).
        a.permissions_boundary ? ["iam:PutRolePermissionsBoundary"] : [],
      ),
  },
  aws_iam_role_policy: {
    read: ["iam:GetRolePolicy"],
    write: [],
    // The role is named by its name; its path and boundary come from the role resource of the stack.
    resources: (a, at) => [roleArn(at, a.role_path, a.role)],
    grants: (a, at) =>
      roleWrites(roleArn(at, a.role_path, a.role), a.role_boundary, ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]),
  },
  // A key the stack creates carries the stack tag from CreateKey on (the provider's default tags
  // are sent with CreateKey), so everything done to it afterwards is allowed only on keys with
  // that tag: never on the account's other keys. No kms:ScheduleKeyDeletion or kms:UpdateAlias:
  // the keys are prevent_destroy, so Terraform never deletes or replaces one.
  // https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html
  aws_kms_key: {
    read: [],
    write: [],
    resources: (_a, at) => [keyPattern(at)],
    grants: (a, at) => keyGrants(a, at),
  },
  aws_kms_alias: {
    read: [],
    write: [],
    resources: (a, at) => [aliasArn(at, a.name)],
    unscopedRead: ["kms:ListAliases"],
    // An alias call is authorized on the alias and on the key it points to: the alias by its name,
    // the key only while it carries the stack tag.
    // https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
    grants: (a, at) => [
      { actions: ["kms:CreateAlias", "kms:DeleteAlias"], resource: aliasArn(at, a.name), write: true },
      {
        actions: ["kms:CreateAlias", "kms:DeleteAlias"],
        resource: keyPattern(at),
        condition: taggedKey(at),
        write: true,
      },
    ],
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
    const defaultTags = (provider.default_tags as Array<{ tags?: Record<string, string> }> | undefined)?.[0];
    accounts.set(provider.alias ? `aws.${provider.alias}` : "aws", {
      accountId: String((provider.allowed_account_ids as string[])[0]),
      region,
      partition: partitionOf(region),
      tags: defaultTags?.tags ?? {},
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
  /**
   * `npm run verify`'s plan: the plan's reads, without the state lock object (it plans with
   * -lock=false, so the S3 backend never puts or deletes `<key>.tflock`).
   * @see https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
   */
  readonly verify: Permission[];
}

/** The permissions `plan` and `apply` of one synthesized stack need, per account. */
export function terraformPermissions(stack: StackJson): TerraformPermissions {
  const accounts = providerAccounts(stack);
  const plan: Permission[] = [];
  const apply: Permission[] = [];
  const add = (
    accountId: string,
    actions: readonly string[],
    resources: readonly string[],
    write: boolean,
    extra: Pick<Permission, "condition" | "note"> = {},
  ) => {
    for (const action of actions) {
      for (const resource of resources) {
        const permission: Permission = { accountId, action, resource, ...extra };
        apply.push(permission);
        if (!write) plan.push(permission);
      }
    }
  };
  const roles = new Map(Object.values(stack.resource?.aws_iam_role ?? {}).map((role) => [String(role.name), role]));
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
      if (type === "aws_iam_role_policy") {
        const role = roles.get(String(attributes.role));
        attributes.role_path = role?.path ?? "/";
        attributes.role_boundary = role?.permissions_boundary;
      }
      const arns = permissions.resources(attributes, at);
      add(at.accountId, permissions.read, arns, false);
      add(at.accountId, permissions.write, arns, true);
      add(at.accountId, permissions.unscopedRead ?? [], ["*"], false);
      add(at.accountId, permissions.unscopedWrite ?? [], ["*"], true);
      for (const grant of permissions.grants?.(attributes, at) ?? []) {
        add(at.accountId, grant.actions, [grant.resource], grant.write, {
          condition: grant.condition,
          note: grant.note,
        });
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
  return { plan, apply, verify: plan.filter((p) => !p.resource.endsWith(".tflock")) };
}
