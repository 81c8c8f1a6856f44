/**
 * What a synthesized stack says, read from its JSON: providers and their accounts, the role and
 * its policies, bucket policies, versioning, keys and the replication rules. References to keys a
 * stack creates are replaced with placeholder ARNs in the key's account and Region, so policies
 * can be evaluated before the key exists.
 */
import { partitionOf } from "../arn";
import { asList, type Json, resourcesOf, type StackJson, statementsOf } from "./terraform-json";
import { S3_PRINCIPAL } from "./what-s3-sends";

export interface ProviderFacts {
  readonly alias: string;
  readonly region: string;
  readonly allowedAccountIds: readonly string[];
}

export interface Located {
  readonly stack: string;
  readonly address: string;
  readonly provider: string;
}

export interface PolicyResource extends Located {
  readonly policy: Json;
}

export interface BucketPolicyFacts extends PolicyResource {
  readonly bucket: string;
  /** The policy text as Terraform sends it. */
  readonly text: string;
}

export interface VersioningFacts extends Located {
  readonly bucket: string;
  readonly status: string;
}

export interface KeyFacts extends PolicyResource {
  /** The placeholder ARN standing for the key's ARN before it exists. */
  readonly arn: string;
}

export interface RoleFacts extends Located {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly trustPolicy: Json;
  readonly inlinePolicies: readonly PolicyResource[];
}

export interface RuleFacts {
  readonly id: string;
  readonly enabled: boolean;
  readonly prefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly deleteMarkerReplication: boolean;
  readonly sseKms: boolean;
  readonly destinationBucket: string;
  readonly destinationAccount: string;
  readonly ownerOverride: boolean;
  readonly replicaKeyArn?: string;
}

export interface ReplicationFacts extends Located {
  readonly sourceBucket: string;
  readonly roleArn: string;
  readonly dependsOn: readonly string[];
  readonly rules: readonly RuleFacts[];
}

export interface StackFacts {
  readonly stack: StackJson;
  readonly providers: ReadonlyMap<string, ProviderFacts>;
  /** The replication role: the one the replication configuration names, else the one S3 may assume. */
  readonly role?: RoleFacts;
  /** Every role of the stack (the replication role and the Batch Replication role). */
  readonly roles: readonly RoleFacts[];
  readonly replication?: ReplicationFacts;
  readonly keys: readonly KeyFacts[];
}

/** A KMS alias a stack creates, and the (placeholder) ARN of the key it names. */
export interface AliasFacts {
  readonly arn: string;
  readonly keyArn: string;
}

/** Facts across every stack of the output: what one stack needs may live in another. */
export interface OutputFacts {
  readonly stacks: readonly StackFacts[];
  readonly bucketPolicies: readonly BucketPolicyFacts[];
  readonly versioning: readonly VersioningFacts[];
  readonly keys: readonly KeyFacts[];
  readonly aliases: readonly AliasFacts[];
}

const KEY_REFERENCE = /\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.arn\}/g;
const KEY_ID_REFERENCE = /^\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.key_id\}$/;

/** Aliases of keys a stack creates: a shared destination's key is named by its alias ARN in other stacks. */
function aliasesOf(facts: StackFacts): AliasFacts[] {
  return resourcesOf(facts.stack, "aws_kms_alias").flatMap(([, alias]) => {
    const name = KEY_ID_REFERENCE.exec(String(alias.target_key_id))?.[1];
    const key = facts.keys.find((k) => k.address === `aws_kms_key.${name}`);
    const provider = facts.providers.get(alias.provider);
    const account = accountOf(facts.providers, alias.provider);
    if (!key || !provider || !account) return [];
    return [
      { arn: `arn:${partitionOf(provider.region)}:kms:${provider.region}:${account}:${alias.name}`, keyArn: key.arn },
    ];
  });
}

function providersOf(stack: StackJson): Map<string, ProviderFacts> {
  const providers = new Map<string, ProviderFacts>();
  for (const p of (stack.json.provider?.aws ?? []) as Json[]) {
    providers.set(`aws.${p.alias ?? "default"}`, {
      alias: p.alias ?? "default",
      region: p.region ?? "",
      allowedAccountIds: p.allowed_account_ids ?? [],
    });
  }
  return providers;
}

export function accountOf(providers: ReadonlyMap<string, ProviderFacts>, provider: string): string | undefined {
  const ids = providers.get(provider)?.allowedAccountIds ?? [];
  return ids.length === 1 ? ids[0] : undefined;
}

function keysOf(stack: StackJson, providers: Map<string, ProviderFacts>): KeyFacts[] {
  return resourcesOf(stack, "aws_kms_key").map(([name, key]) => {
    const provider = providers.get(key.provider);
    return {
      stack: stack.name,
      address: `aws_kms_key.${name}`,
      provider: key.provider,
      policy: JSON.parse(key.policy ?? "{}"),
      arn: `arn:aws:kms:${provider?.region ?? "unknown"}:${accountOf(providers, key.provider) ?? "000000000000"}:key/preflight-${name}`,
    };
  });
}

/** Stands in placeholder ARNs for references to keys the stack creates. */
function resolveKeyReferences(text: string, keys: readonly KeyFacts[]): string {
  return text.replace(KEY_REFERENCE, (reference, name) => {
    const key = keys.find((k) => k.address === `aws_kms_key.${name}`);
    return key ? key.arn : reference;
  });
}

function parsePolicy(text: string, keys: readonly KeyFacts[]): Json {
  return JSON.parse(resolveKeyReferences(text, keys));
}

function rolesOf(stack: StackJson, providers: Map<string, ProviderFacts>, keys: KeyFacts[]): RoleFacts[] {
  return resourcesOf(stack, "aws_iam_role").map(([name, role]) => roleFacts(stack, providers, keys, name, role));
}

/** The role a trust policy lets `service` assume. */
export function roleTrusting(roles: readonly RoleFacts[], service: string): RoleFacts | undefined {
  return roles.find((r) =>
    statementsOf(r.trustPolicy).some((s) => asList<string>(s.Principal?.Service).includes(service)),
  );
}

function roleFacts(
  stack: StackJson,
  providers: Map<string, ProviderFacts>,
  keys: KeyFacts[],
  name: string,
  role: Json,
): RoleFacts {
  const account = accountOf(providers, role.provider) ?? "000000000000";
  const partition = partitionOf(providers.get(role.provider)?.region ?? "");
  return {
    stack: stack.name,
    address: `aws_iam_role.${name}`,
    provider: role.provider,
    name: role.name,
    path: role.path ?? "/",
    arn: `arn:${partition}:iam::${account}:role${role.path ?? "/"}${role.name}`,
    trustPolicy: JSON.parse(role.assume_role_policy),
    inlinePolicies: resourcesOf(stack, "aws_iam_role_policy")
      .filter(([, p]) => p.role === role.name)
      .map(([policyName, p]) => ({
        stack: stack.name,
        address: `aws_iam_role_policy.${policyName}`,
        provider: p.provider,
        policy: parsePolicy(p.policy, keys),
      })),
  };
}

function replicationOf(stack: StackJson, keys: KeyFacts[]): ReplicationFacts | undefined {
  const [entry] = resourcesOf(stack, "aws_s3_bucket_replication_configuration");
  if (!entry) return undefined;
  const [name, configuration] = entry;
  return {
    stack: stack.name,
    address: `aws_s3_bucket_replication_configuration.${name}`,
    provider: configuration.provider,
    sourceBucket: configuration.bucket,
    roleArn: configuration.role,
    dependsOn: configuration.depends_on ?? [],
    rules: ((configuration.rule ?? []) as Json[]).map((rule) => {
      const filter = rule.filter ?? {};
      const tags: Record<string, string> = filter.tag
        ? { [filter.tag.key]: filter.tag.value }
        : { ...(filter.and?.tags ?? {}) };
      const destination = rule.destination ?? {};
      const keyId = destination.encryption_configuration?.replica_kms_key_id as string | undefined;
      return {
        id: rule.id,
        enabled: rule.status === "Enabled",
        prefix: filter.prefix ?? filter.and?.prefix ?? "",
        tags,
        deleteMarkerReplication: rule.delete_marker_replication?.status === "Enabled",
        sseKms: rule.source_selection_criteria?.sse_kms_encrypted_objects?.status === "Enabled",
        destinationBucket: String(destination.bucket ?? "").replace(/^arn:[^:]+:s3:::/, ""),
        destinationAccount: destination.account,
        ownerOverride: destination.access_control_translation?.owner === "Destination",
        replicaKeyArn: keyId ? resolveKeyReferences(keyId, keys) : undefined,
      };
    }),
  };
}

export function stackFacts(stack: StackJson): StackFacts {
  const providers = providersOf(stack);
  const keys = keysOf(stack, providers);
  const roles = rolesOf(stack, providers, keys);
  const replication = replicationOf(stack, keys);
  const role =
    roles.find((r) => r.address === "aws_iam_role.replication") ?? roleTrusting(roles, S3_PRINCIPAL) ?? roles[0];
  return { stack, providers, role, roles, replication, keys };
}

export function outputFacts(stacks: readonly StackJson[]): OutputFacts {
  const facts = stacks.map(stackFacts);
  return {
    stacks: facts,
    keys: facts.flatMap((f) => f.keys),
    aliases: facts.flatMap(aliasesOf),
    bucketPolicies: stacks.flatMap((stack) =>
      resourcesOf(stack, "aws_s3_bucket_policy").map(([name, p]) => ({
        stack: stack.name,
        address: `aws_s3_bucket_policy.${name}`,
        provider: p.provider,
        bucket: p.bucket,
        text: p.policy,
        policy: JSON.parse(p.policy),
      })),
    ),
    versioning: stacks.flatMap((stack) =>
      resourcesOf(stack, "aws_s3_bucket_versioning").map(([name, v]) => ({
        stack: stack.name,
        address: `aws_s3_bucket_versioning.${name}`,
        provider: v.provider,
        bucket: v.bucket,
        status: v.versioning_configuration?.status ?? "",
      })),
    ),
  };
}
