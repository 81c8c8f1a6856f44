/**
 * What IAM authorizes for each recorded AWS call: the account (from the signing key), the action,
 * the resource and the request context keys a policy can test. Written from AWS's tables of API
 * operations and the IAM actions they need, not from the project's permission lists, so a
 * generated policy is measured against the calls, not against itself. A call it does not know
 * stops the proof, naming the call: nothing is passed over.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html ("API operations defined by Amazon S3")
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
import { cbor } from "@smithy/core/cbor";
import type { ProxiedCall } from "./recording-proxy";

export interface IamRequest {
  readonly accountId: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The call it came from, for a report. */
  readonly call: string;
}

export class UnmappedCall extends Error {}

type Params = Record<string, unknown>;

interface Signed {
  readonly accountId: string;
  readonly region: string;
  readonly service: string;
  readonly partition: string;
}

/** S3 bucket subresources: the action of each method. DELETE of most is authorized as the Put. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, Readonly<Partial<Record<string, string>>>>> = {
  versioning: { GET: "s3:GetBucketVersioning", PUT: "s3:PutBucketVersioning" },
  policy: { GET: "s3:GetBucketPolicy", PUT: "s3:PutBucketPolicy", DELETE: "s3:DeleteBucketPolicy" },
  replication: {
    GET: "s3:GetReplicationConfiguration",
    PUT: "s3:PutReplicationConfiguration",
    DELETE: "s3:PutReplicationConfiguration",
  },
  ownershipControls: {
    GET: "s3:GetBucketOwnershipControls",
    PUT: "s3:PutBucketOwnershipControls",
    DELETE: "s3:PutBucketOwnershipControls",
  },
  encryption: {
    GET: "s3:GetEncryptionConfiguration",
    PUT: "s3:PutEncryptionConfiguration",
    DELETE: "s3:PutEncryptionConfiguration",
  },
  publicAccessBlock: {
    GET: "s3:GetBucketPublicAccessBlock",
    PUT: "s3:PutBucketPublicAccessBlock",
    DELETE: "s3:PutBucketPublicAccessBlock",
  },
  acl: { GET: "s3:GetBucketAcl", PUT: "s3:PutBucketAcl" },
  cors: { GET: "s3:GetBucketCORS", PUT: "s3:PutBucketCORS", DELETE: "s3:PutBucketCORS" },
  website: { GET: "s3:GetBucketWebsite", PUT: "s3:PutBucketWebsite", DELETE: "s3:DeleteBucketWebsite" },
  accelerate: { GET: "s3:GetAccelerateConfiguration", PUT: "s3:PutAccelerateConfiguration" },
  requestPayment: { GET: "s3:GetBucketRequestPayment", PUT: "s3:PutBucketRequestPayment" },
  logging: { GET: "s3:GetBucketLogging", PUT: "s3:PutBucketLogging" },
  lifecycle: {
    GET: "s3:GetLifecycleConfiguration",
    PUT: "s3:PutLifecycleConfiguration",
    DELETE: "s3:PutLifecycleConfiguration",
  },
  "object-lock": { GET: "s3:GetBucketObjectLockConfiguration", PUT: "s3:PutBucketObjectLockConfiguration" },
  tagging: { GET: "s3:GetBucketTagging", PUT: "s3:PutBucketTagging", DELETE: "s3:PutBucketTagging" },
  location: { GET: "s3:GetBucketLocation" },
  notification: { GET: "s3:GetBucketNotification", PUT: "s3:PutBucketNotification" },
  versions: { GET: "s3:ListBucketVersions" },
  uploads: { GET: "s3:ListBucketMultipartUploads" },
};

/** IAM operations on a role, authorized on that role. */
const ROLE_OPERATIONS = new Set([
  "CreateRole",
  "GetRole",
  "DeleteRole",
  "UpdateRole",
  "UpdateRoleDescription",
  "UpdateAssumeRolePolicy",
  "TagRole",
  "UntagRole",
  "ListRoleTags",
  "ListRolePolicies",
  "ListAttachedRolePolicies",
  "ListInstanceProfilesForRole",
  "PutRolePolicy",
  "GetRolePolicy",
  "DeleteRolePolicy",
  "AttachRolePolicy",
  "DetachRolePolicy",
  "PutRolePermissionsBoundary",
  "DeleteRolePermissionsBoundary",
]);

/** KMS operations on one key named by KeyId, authorized on that key. */
const KEY_OPERATIONS = new Set([
  "DescribeKey",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "ListResourceTags",
  "PutKeyPolicy",
  "EnableKeyRotation",
  "DisableKeyRotation",
  "UpdateKeyDescription",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "EnableKey",
  "DisableKey",
]);

const SNS_TOPIC_OPERATIONS = new Set([
  "GetTopicAttributes",
  "SetTopicAttributes",
  "DeleteTopic",
  "Subscribe",
  "ListSubscriptionsByTopic",
]);

/** Tags sent with a request, as IAM's tag condition keys see them. */
function requestTags(tags: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  if (tags.length === 0) return {};
  return {
    ...Object.fromEntries(tags.map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    "aws:TagKeys": tags.map(([k]) => k),
  };
}

/** `Name.member.1`, `Name.member.2`, ... of the query protocol. */
function queryList(params: URLSearchParams, name: string): string[] {
  return [...params.entries()]
    .filter(([k]) => new RegExp(`^${name}\\.member\\.\\d+$`).test(k))
    .sort(([a], [b]) => Number(a.split(".").pop()) - Number(b.split(".").pop()))
    .map(([, v]) => v);
}

/** `Tags.member.N.Key` / `.Value` of the query protocol. */
function queryTags(params: URLSearchParams, name = "Tags"): Array<[string, string]> {
  const tags: Array<[string, string]> = [];
  for (let n = 1; params.has(`${name}.member.${n}.Key`); n++) {
    tags.push([String(params.get(`${name}.member.${n}.Key`)), String(params.get(`${name}.member.${n}.Value`) ?? "")]);
  }
  return tags;
}

interface KeyState {
  readonly tags: Map<string, string>;
  readonly aliases: Set<string>;
}

/**
 * Maps calls to IAM requests, in the order they were made: KMS keys' tags and aliases and roles'
 * boundaries are followed from the calls that set them, since IAM decides on the values at the
 * time of each call.
 */
export class IamRequestMapper {
  private readonly keys = new Map<string, KeyState>();
  private readonly aliasTargets = new Map<string, string>();
  private readonly roleBoundaries = new Map<string, string | undefined>();
  private readonly rolePaths = new Map<string, string>();

  /** @param accounts access key id -> account id, as the emulator issued them */
  constructor(private readonly accounts: ReadonlyMap<string, string>) {}

  map(call: ProxiedCall): IamRequest[] {
    const signed = this.signed(call);
    const requests = this.requestsOf(call, signed);
    const name = `${call.method} ${call.path}`;
    return requests.map((r) => ({ ...r, accountId: signed.accountId, call: name }));
  }

  private signed(call: ProxiedCall): Signed {
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      String(call.headers.authorization ?? ""),
    );
    if (!credential) throw new UnmappedCall(`${call.method} ${call.path}: not signed with SigV4`);
    const [, accessKey, region, service] = credential;
    const accountId = this.accounts.get(accessKey);
    if (!accountId) throw new UnmappedCall(`${call.method} ${call.path}: signed by unknown key ${accessKey}`);
    const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return { accountId, region, service, partition };
  }

  private requestsOf(call: ProxiedCall, at: Signed): Array<Omit<IamRequest, "accountId" | "call">> {
    switch (at.service) {
      case "s3":
        return this.s3(call, at);
      case "sts":
        return this.sts(call, at);
      case "iam":
        return this.iam(call, at);
      case "kms":
        return this.kms(call, at);
      case "sns":
        return this.sns(call, at);
      case "monitoring":
        return this.cloudwatch(call, at);
      default:
        throw new UnmappedCall(`${call.method} ${call.path}: service ${at.service} is not mapped`);
    }
  }

  private s3(call: ProxiedCall, at: Signed) {
    const url = new URL(call.path, "http://emulator");
    if (url.pathname.startsWith("/v20180820/")) return this.s3control(call, url, at);
    const [bucket, ...rest] = url.pathname.replace(/^\//, "").split("/");
    const key = decodeURIComponent(rest.join("/"));
    const bucketArn = `arn:${at.partition}:s3:::${bucket}`;
    const query = [...url.searchParams.keys()];
    const one = (action: string | undefined, resource: string) => {
      if (!action) throw new UnmappedCall(`${call.method} ${call.path}: S3 operation not mapped`);
      return { action, resource, context: {} };
    };
    if (!bucket) throw new UnmappedCall(`${call.method} ${call.path}: S3 call without a bucket`);
    if (key) {
      const objectArn = `${bucketArn}/${key}`;
      const version = url.searchParams.has("versionId");
      if (query.includes("tagging")) {
        return [one({ GET: "s3:GetObjectTagging", PUT: "s3:PutObjectTagging" }[call.method], objectArn)];
      }
      if (query.includes("acl"))
        return [one({ GET: "s3:GetObjectAcl", PUT: "s3:PutObjectAcl" }[call.method], objectArn)];
      // HeadObject is authorized as s3:GetObject; a version id makes reads and deletes the Version actions.
      const action = {
        GET: version ? "s3:GetObjectVersion" : "s3:GetObject",
        HEAD: version ? "s3:GetObjectVersion" : "s3:GetObject",
        PUT: "s3:PutObject",
        DELETE: version ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
      }[call.method];
      return [one(action, objectArn)];
    }
    const subresource = query.find((q) => q in BUCKET_SUBRESOURCES);
    if (subresource) {
      const request = one(BUCKET_SUBRESOURCES[subresource][call.method], bucketArn);
      if (subresource !== "replication" || call.method !== "PUT") return [request];
      // Putting a replication configuration passes its role to S3.
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
      const role = /<Role>([^<]+)<\/Role>/.exec(call.body.toString("utf8"))?.[1];
      if (!role) throw new UnmappedCall(`${call.method} ${call.path}: replication configuration without a role`);
      return [
        request,
        { action: "iam:PassRole", resource: role, context: { "iam:PassedToService": "s3.amazonaws.com" } },
      ];
    }
    if (query.some((q) => !["list-type", "prefix", "max-keys", "delimiter", "continuation-token"].includes(q))) {
      throw new UnmappedCall(`${call.method} ${call.path}: S3 bucket subresource not mapped`);
    }
    if (call.method === "PUT") {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html ("Permissions")
      const extra = [
        ...(call.headers["x-amz-bucket-object-lock-enabled"] === "true"
          ? ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"]
          : []),
        ...(call.headers["x-amz-object-ownership"] ? ["s3:PutBucketOwnershipControls"] : []),
      ];
      return ["s3:CreateBucket", ...extra].map((action) => one(action, bucketArn));
    }
    // ListObjects(V2) and HeadBucket are authorized as s3:ListBucket.
    return [one({ GET: "s3:ListBucket", HEAD: "s3:ListBucket", DELETE: "s3:DeleteBucket" }[call.method], bucketArn)];
  }

  /**
   * S3 Control (signed as s3, path /v20180820/...): ListJobs has no resource type; DescribeJob is
   * authorized on the job. The account is the x-amz-account-id header.
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
   */
  private s3control(call: ProxiedCall, url: URL, at: Signed) {
    const account = String(call.headers["x-amz-account-id"] ?? at.accountId);
    if (call.method === "GET" && url.pathname === "/v20180820/jobs")
      return [{ action: "s3:ListJobs", resource: "*", context: {} }];
    const job = /^\/v20180820\/jobs\/([^/]+)$/.exec(url.pathname)?.[1];
    if (call.method === "GET" && job)
      return [
        {
          action: "s3:DescribeJob",
          resource: `arn:${at.partition}:s3:${at.region}:${account}:job/${job}`,
          context: {},
        },
      ];
    throw new UnmappedCall(`${call.method} ${call.path}: S3 Control operation not mapped`);
  }

  private sts(call: ProxiedCall, at: Signed) {
    const params = new URLSearchParams(call.body.toString("utf8"));
    const operation = params.get("Action");
    // "No permissions are required to perform this operation."
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    if (operation === "GetCallerIdentity") return [];
    if (operation === "AssumeRole") {
      return [{ action: "sts:AssumeRole", resource: String(params.get("RoleArn")), context: {} }];
    }
    throw new UnmappedCall(`STS ${operation} in ${at.accountId}: not mapped`);
  }

  private iam(call: ProxiedCall, at: Signed) {
    const params = new URLSearchParams(call.body.toString("utf8"));
    const operation = String(params.get("Action"));
    // Authorized on the principal whose policies are simulated (doctor asks it of the role).
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
    if (operation === "SimulatePrincipalPolicy")
      return [{ action: "iam:SimulatePrincipalPolicy", resource: String(params.get("PolicySourceArn")), context: {} }];
    if (!ROLE_OPERATIONS.has(operation)) throw new UnmappedCall(`IAM ${operation}: not mapped`);
    const name = String(params.get("RoleName"));
    const roleKey = `${at.accountId}/${name}`;
    if (operation === "CreateRole") {
      this.rolePaths.set(roleKey, params.get("Path") ?? "/");
      this.roleBoundaries.set(roleKey, params.get("PermissionsBoundary") ?? undefined);
    }
    const role = `arn:${at.partition}:iam::${at.accountId}:role${this.rolePaths.get(roleKey) ?? "/"}${name}`;
    // iam:PermissionsBoundary is the boundary a create or put sets, else the one the role has.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary
    const boundary = ["CreateRole", "PutRolePermissionsBoundary"].includes(operation)
      ? (params.get("PermissionsBoundary") ?? undefined)
      : this.roleBoundaries.get(roleKey);
    if (operation === "PutRolePermissionsBoundary") this.roleBoundaries.set(roleKey, boundary);
    const tags = queryTags(params);
    const context: Record<string, string | string[]> = {
      ...(boundary ? { "iam:PermissionsBoundary": boundary } : {}),
      ...requestTags(tags),
      ...(operation === "UntagRole" ? { "aws:TagKeys": queryList(params, "TagKeys") } : {}),
    };
    return [
      { action: `iam:${operation}`, resource: role, context },
      // Tags given to CreateRole are authorized as iam:TagRole too.
      ...(operation === "CreateRole" && tags.length > 0
        ? [{ action: "iam:TagRole", resource: role, context: requestTags(tags) }]
        : []),
    ];
  }

  private keyArn(at: Signed, keyId: string): string {
    if (keyId.startsWith("arn:")) return keyId.includes(":alias/") ? this.aliasTarget(keyId) : keyId;
    if (keyId.startsWith("alias/"))
      return this.aliasTarget(`arn:${at.partition}:kms:${at.region}:${at.accountId}:${keyId}`);
    return `arn:${at.partition}:kms:${at.region}:${at.accountId}:key/${keyId}`;
  }

  private aliasTarget(alias: string): string {
    const key = this.aliasTargets.get(alias);
    if (!key) throw new UnmappedCall(`KMS alias ${alias}: the key it points to was not seen`);
    return key;
  }

  /** What KMS knows about a key at this call: its tags and aliases. */
  private keyContext(key: string): Record<string, string | string[]> {
    const state = this.keys.get(key);
    if (!state) return {};
    return {
      ...Object.fromEntries([...state.tags].map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
      ...(state.aliases.size > 0 ? { "kms:ResourceAliases": [...state.aliases].sort() } : {}),
    };
  }

  private kms(call: ProxiedCall, at: Signed) {
    const operation = String(call.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
    const input = JSON.parse(call.body.toString("utf8") || "{}") as Params;
    const tagsOf = (list: unknown) =>
      ((list as Array<{ TagKey: string; TagValue: string }> | undefined) ?? []).map(
        (t) => [t.TagKey, t.TagValue] as [string, string],
      );
    const aliasArn = (name: unknown) => `arn:${at.partition}:kms:${at.region}:${at.accountId}:${String(name)}`;
    if (operation === "ListAliases") return [{ action: "kms:ListAliases", resource: "*", context: {} }];
    if (operation === "CreateKey") {
      const tags = tagsOf(input.Tags);
      const created = JSON.parse(call.response || "{}").KeyMetadata?.Arn as string | undefined;
      const requests = [{ action: "kms:CreateKey", resource: "*", context: requestTags(tags) }];
      if (created) {
        this.keys.set(created, { tags: new Map(tags), aliases: new Set() });
        // Tags given to CreateKey need kms:TagResource too; the new key has no tags or aliases yet.
        // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html ("Required permissions")
        if (tags.length > 0)
          requests.push({ action: "kms:TagResource", resource: created, context: requestTags(tags) });
      }
      return requests;
    }
    if (operation === "CreateAlias" || operation === "DeleteAlias" || operation === "UpdateAlias") {
      // Authorized on the alias and on the key(s) it points to, before and after.
      // https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
      const alias = aliasArn(input.AliasName);
      const keys = [
        ...(operation === "CreateAlias" ? [] : [this.aliasTarget(alias)]),
        ...(operation === "DeleteAlias" ? [] : [this.keyArn(at, String(input.TargetKeyId))]),
      ];
      const requests = [
        { action: `kms:${operation}`, resource: alias, context: {} },
        ...keys.map((key) => ({ action: `kms:${operation}`, resource: key, context: this.keyContext(key) })),
      ];
      for (const key of keys) this.keys.get(key)?.aliases.delete(String(input.AliasName));
      if (operation === "DeleteAlias") this.aliasTargets.delete(alias);
      else {
        const target = keys[keys.length - 1];
        this.aliasTargets.set(alias, target);
        this.keys.get(target)?.aliases.add(String(input.AliasName));
      }
      return requests;
    }
    if (operation === "TagResource" || operation === "UntagResource") {
      const key = this.keyArn(at, String(input.KeyId));
      const tags = tagsOf(input.Tags);
      const removed = (input.TagKeys as string[] | undefined) ?? [];
      const context = {
        ...this.keyContext(key),
        ...(operation === "TagResource" ? requestTags(tags) : { "aws:TagKeys": removed }),
      };
      const state = this.keys.get(key);
      for (const [k, v] of tags) state?.tags.set(k, v);
      for (const k of removed) state?.tags.delete(k);
      return [{ action: `kms:${operation}`, resource: key, context }];
    }
    if (KEY_OPERATIONS.has(operation)) {
      const key = this.keyArn(at, String(input.KeyId));
      return [{ action: `kms:${operation}`, resource: key, context: this.keyContext(key) }];
    }
    throw new UnmappedCall(`KMS ${operation}: not mapped`);
  }

  private sns(call: ProxiedCall, at: Signed) {
    const params = new URLSearchParams(call.body.toString("utf8"));
    const operation = String(params.get("Action"));
    // Subscription calls are authorized on the subscription's topic.
    const topicOfSubscription = (arn: string) => arn.split(":").slice(0, 6).join(":");
    if (operation === "CreateTopic") {
      const topic = `arn:${at.partition}:sns:${at.region}:${at.accountId}:${params.get("Name")}`;
      const tags = queryTags(params);
      return [
        { action: "sns:CreateTopic", resource: topic, context: requestTags(tags) },
        ...(tags.length > 0 ? [{ action: "sns:TagResource", resource: topic, context: requestTags(tags) }] : []),
      ];
    }
    if (SNS_TOPIC_OPERATIONS.has(operation)) {
      return [{ action: `sns:${operation}`, resource: String(params.get("TopicArn")), context: {} }];
    }
    if (["GetSubscriptionAttributes", "SetSubscriptionAttributes", "Unsubscribe"].includes(operation)) {
      const topic = topicOfSubscription(String(params.get("SubscriptionArn")));
      return [{ action: `sns:${operation}`, resource: topic, context: {} }];
    }
    if (["ListTagsForResource", "TagResource", "UntagResource"].includes(operation)) {
      return [{ action: `sns:${operation}`, resource: String(params.get("ResourceArn")), context: {} }];
    }
    throw new UnmappedCall(`SNS ${operation}: not mapped`);
  }

  /** CloudWatch speaks the query protocol, AWS JSON 1.0 or Smithy RPC v2 CBOR, by SDK release. */
  private cloudwatch(call: ProxiedCall, at: Signed) {
    let operation: string;
    let names: (field: string) => string[];
    let value: (field: string) => string | undefined;
    let tags: Array<[string, string]>;
    const cborOperation = /\/service\/GraniteServiceVersion20100801\/operation\/(\w+)/.exec(call.path)?.[1];
    const target = String(call.headers["x-amz-target"] ?? "");
    if (cborOperation || target) {
      operation = cborOperation ?? target.replace(/^GraniteServiceVersion20100801\./, "");
      const input = (
        cborOperation ? cbor.deserialize(new Uint8Array(call.body)) : JSON.parse(call.body.toString("utf8") || "{}")
      ) as Params;
      names = (field) => (input[field] as string[] | undefined) ?? [];
      value = (field) => input[field] as string | undefined;
      tags = ((input.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []).map((t) => [t.Key, t.Value]);
    } else {
      const params = new URLSearchParams(call.body.toString("utf8"));
      operation = String(params.get("Action"));
      names = (field) => queryList(params, field);
      value = (field) => params.get(field) ?? undefined;
      tags = queryTags(params);
    }
    const alarm = (name: string) => `arn:${at.partition}:cloudwatch:${at.region}:${at.accountId}:alarm:${name}`;
    switch (operation) {
      case "PutMetricAlarm":
        return [
          {
            action: "cloudwatch:PutMetricAlarm",
            resource: alarm(String(value("AlarmName"))),
            context: requestTags(tags),
          },
          ...(tags.length > 0
            ? [
                {
                  action: "cloudwatch:TagResource",
                  resource: alarm(String(value("AlarmName"))),
                  context: requestTags(tags),
                },
              ]
            : []),
        ];
      // No resource type: authorized on "*".
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
      case "GetMetricStatistics":
        return [{ action: "cloudwatch:GetMetricStatistics", resource: "*", context: {} }];
      case "DescribeAlarms":
      case "DeleteAlarms": {
        const alarms = names("AlarmNames");
        if (alarms.length === 0) return [{ action: `cloudwatch:${operation}`, resource: "*", context: {} }];
        return alarms.map((name) => ({ action: `cloudwatch:${operation}`, resource: alarm(name), context: {} }));
      }
      case "ListTagsForResource":
      case "TagResource":
      case "UntagResource":
        return [{ action: `cloudwatch:${operation}`, resource: String(value("ResourceARN")), context: {} }];
      default:
        throw new UnmappedCall(`CloudWatch ${operation}: not mapped`);
    }
  }
}
