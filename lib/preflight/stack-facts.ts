/**
 * What a synthesized stack says, read from its JSON: providers and their accounts, the role and
 * its policies, bucket policies, versioning, keys and the replication rules. References to keys a
 * stack creates are replaced with placeholder ARNs in the key's account and Region, so policies
 * can be evaluated before the key exists.
 */
import { partitionOf } from "../arn";
import { asList, isJsonObject, type JsonObject, objectAt, objectsAt, stringAt, valueAt } from "../json";
import { resourcesOf, type StackJson, statementsOf, stringsAt } from "./terraform-json";
import { BATCH_OPERATIONS_PRINCIPAL, S3_PRINCIPAL } from "./what-s3-sends";

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
  /** The parsed policy document, read with statementsOf and stringsAt. */
  readonly policy: unknown;
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
  readonly trustPolicy: unknown;
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

/** What a stack holds as a whole: its providers, every role and every key. */
export interface RootFacts {
  readonly stack: StackJson;
  readonly providers: ReadonlyMap<string, ProviderFacts>;
  /** Every role of the stack. */
  readonly roles: readonly RoleFacts[];
  readonly keys: readonly KeyFacts[];
}

/**
 * One replication as its stack says it: a stack with one replication configuration (or none) is
 * one of these, a stack of several replications one per configuration.
 */
export interface StackFacts extends RootFacts {
  /**
   * The replication role: in a stack of one replication the one at aws_iam_role.replication, else
   * the one S3 may assume; in a stack of several, the role at the configuration's own name.
   */
  readonly role?: RoleFacts;
  /** This replication's roles: the replication role and the Batch Replication role (every role of a stack of one). */
  readonly roles: readonly RoleFacts[];
  /** The role S3 Batch Operations may assume for this replication. */
  readonly batchRole?: RoleFacts;
  readonly replication?: ReplicationFacts;
  /** This replication's output by its name in a stack of one (a stack of several adds `_<bucket>`). */
  readonly output: (name: string) => unknown;
}

/** A KMS alias a stack creates, and the (placeholder) ARN of the key it names. */
export interface AliasFacts {
  readonly arn: string;
  readonly keyArn: string;
}

/** Facts across every stack of the output: what one stack needs may live in another. */
export interface OutputFacts {
  readonly roots: readonly RootFacts[];
  /** Every replication of every stack (and one entry for each stack without one). */
  readonly stacks: readonly StackFacts[];
  readonly bucketPolicies: readonly BucketPolicyFacts[];
  readonly versioning: readonly VersioningFacts[];
  readonly keys: readonly KeyFacts[];
  readonly aliases: readonly AliasFacts[];
}

const KEY_REFERENCE = /\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.arn\}/g;
const KEY_ID_REFERENCE = /^\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.key_id\}$/;

/** Aliases of keys a stack creates: a shared destination's key is named by its alias ARN in other stacks. */
function aliasesOf(facts: RootFacts): AliasFacts[] {
  return resourcesOf(facts.stack, "aws_kms_alias").flatMap(([, alias]) => {
    const name = KEY_ID_REFERENCE.exec(String(alias.target_key_id))?.[1];
    const key = facts.keys.find((k) => k.address === `aws_kms_key.${name}`);
    const provider = facts.providers.get(String(alias.provider));
    const account = accountOf(facts.providers, String(alias.provider));
    if (!key || !provider || !account) return [];
    return [
      { arn: `arn:${partitionOf(provider.region)}:kms:${provider.region}:${account}:${alias.name}`, keyArn: key.arn },
    ];
  });
}

function providersOf(stack: StackJson): Map<string, ProviderFacts> {
  const providers = new Map<string, ProviderFacts>();
  // Terraform JSON takes one provider block or a list of them.
  for (const p of asList<unknown>(valueAt(stack.json, "provider", "aws")).filter(isJsonObject)) {
    const alias = String(p.alias ?? "default");
    providers.set(`aws.${alias}`, {
      alias,
      region: String(p.region ?? ""),
      allowedAccountIds: stringsAt(p, "allowed_account_ids"),
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
    const providerName = String(key.provider);
    const provider = providers.get(providerName);
    return {
      stack: stack.name,
      address: `aws_kms_key.${name}`,
      provider: providerName,
      policy: parsedJson(key.policy ?? "{}"),
      arn: `arn:aws:kms:${provider?.region ?? "unknown"}:${accountOf(providers, providerName) ?? "000000000000"}:key/preflight-${name}`,
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

/** JSON text parsed (JSON.parse reads any other value as its text, as String does). */
function parsedJson(text: unknown): unknown {
  return JSON.parse(String(text));
}

function parsePolicy(text: unknown, keys: readonly KeyFacts[]): unknown {
  // Only text has key references; anything else fails to parse as it did.
  return parsedJson(typeof text === "string" ? resolveKeyReferences(text, keys) : text);
}

function rolesOf(stack: StackJson, providers: Map<string, ProviderFacts>, keys: readonly KeyFacts[]): RoleFacts[] {
  return resourcesOf(stack, "aws_iam_role").map(([name, role]) => roleFacts(stack, providers, keys, name, role));
}

/** The role a trust policy lets `service` assume. */
export function roleTrusting(roles: readonly RoleFacts[], service: string): RoleFacts | undefined {
  return roles.find((r) =>
    statementsOf(r.trustPolicy).some((s) => stringsAt(s, "Principal", "Service").includes(service)),
  );
}

function roleFacts(
  stack: StackJson,
  providers: Map<string, ProviderFacts>,
  keys: readonly KeyFacts[],
  name: string,
  role: JsonObject,
): RoleFacts {
  const provider = String(role.provider);
  const account = accountOf(providers, provider) ?? "000000000000";
  const partition = partitionOf(providers.get(provider)?.region ?? "");
  const path = String(role.path ?? "/");
  return {
    stack: stack.name,
    address: `aws_iam_role.${name}`,
    provider,
    name: String(role.name),
    path,
    arn: `arn:${partition}:iam::${account}:role${path}${role.name}`,
    trustPolicy: parsedJson(role.assume_role_policy),
    inlinePolicies: resourcesOf(stack, "aws_iam_role_policy")
      .filter(([, p]) => p.role === role.name)
      .map(([policyName, p]) => ({
        stack: stack.name,
        address: `aws_iam_role_policy.${policyName}`,
        provider: String(p.provider),
        policy: parsePolicy(p.policy, keys),
      })),
  };
}

function replicationFacts(
  stack: StackJson,
  keys: readonly KeyFacts[],
  name: string,
  configuration: JsonObject,
): ReplicationFacts {
  return {
    stack: stack.name,
    address: `aws_s3_bucket_replication_configuration.${name}`,
    provider: String(configuration.provider),
    sourceBucket: String(configuration.bucket),
    roleArn: String(configuration.role),
    dependsOn: stringsAt(configuration, "depends_on"),
    rules: objectsAt(configuration, "rule").map((rule) => {
      const filter: JsonObject = objectAt(rule, "filter") ?? {};
      const tags: Record<string, string> = filter.tag
        ? { [String(valueAt(filter.tag, "key"))]: String(valueAt(filter.tag, "value")) }
        : textValues(objectAt(objectAt(filter, "and"), "tags"));
      const destination: JsonObject = objectAt(rule, "destination") ?? {};
      const keyId = stringAt(destination, "encryption_configuration", "replica_kms_key_id");
      return {
        id: String(rule.id),
        enabled: rule.status === "Enabled",
        prefix: String(filter.prefix ?? valueAt(filter, "and", "prefix") ?? ""),
        tags,
        deleteMarkerReplication: valueAt(rule, "delete_marker_replication", "status") === "Enabled",
        sseKms: valueAt(rule, "source_selection_criteria", "sse_kms_encrypted_objects", "status") === "Enabled",
        destinationBucket: String(destination.bucket ?? "").replace(/^arn:[^:]+:s3:::/, ""),
        destinationAccount: String(destination.account),
        ownerOverride: valueAt(destination, "access_control_translation", "owner") === "Destination",
        replicaKeyArn: keyId ? resolveKeyReferences(keyId, keys) : undefined,
      };
    }),
  };
}

/** A map's values as text (tags are strings in Terraform JSON). */
function textValues(map: JsonObject | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [key, String(value)]));
}

function rootFacts(stack: StackJson): RootFacts {
  const providers = providersOf(stack);
  const keys = keysOf(stack, providers);
  return { stack, providers, roles: rolesOf(stack, providers, keys), keys };
}

const CONFIGURATION = "replication";

/**
 * The replications of a stack. In a stack of several, each configuration's role, Batch
 * Replication role and outputs carry the configuration's own suffix (its source bucket):
 * aws_iam_role.replication_<bucket>, aws_iam_role.batch_replication_<bucket>, <output>_<bucket>.
 */
export function stackFacts(stack: StackJson): StackFacts[] {
  const root = rootFacts(stack);
  const { roles } = root;
  const configurations = resourcesOf(stack, "aws_s3_bucket_replication_configuration");
  const outputs: JsonObject = objectAt(stack.json, "output") ?? {};
  // A stack of one replication names its role at aws_iam_role.replication; if it does not, the one S3 may assume.
  const alone = configurations.length <= 1;
  const entries: Array<[string, JsonObject] | undefined> = configurations.length > 0 ? configurations : [undefined];
  return entries.map((entry) => {
    const name = entry?.[0] ?? CONFIGURATION;
    const suffix = name.startsWith(CONFIGURATION) ? name.slice(CONFIGURATION.length) : `_${name}`;
    const at = (address: string) => roles.find((r) => r.address === address);
    const role = at(`aws_iam_role.${name}`) ?? (alone ? (roleTrusting(roles, S3_PRINCIPAL) ?? roles[0]) : undefined);
    const batchRole =
      at(`aws_iam_role.batch_${CONFIGURATION}${suffix}`) ??
      (alone ? roleTrusting(roles, BATCH_OPERATIONS_PRINCIPAL) : undefined);
    return {
      ...root,
      role,
      roles: alone ? roles : [role, batchRole].filter((r): r is RoleFacts => r !== undefined),
      batchRole,
      replication: entry && replicationFacts(stack, root.keys, entry[0], entry[1]),
      output: (output: string) => valueAt(outputs, `${output}${suffix}`, "value"),
    };
  });
}

export function outputFacts(stacks: readonly StackJson[]): OutputFacts {
  const facts = stacks.flatMap(stackFacts);
  const roots = stacks.map(rootFacts);
  return {
    roots,
    stacks: facts,
    keys: roots.flatMap((f) => f.keys),
    aliases: roots.flatMap(aliasesOf),
    bucketPolicies: stacks.flatMap((stack) =>
      resourcesOf(stack, "aws_s3_bucket_policy").map(([name, p]) => ({
        stack: stack.name,
        address: `aws_s3_bucket_policy.${name}`,
        provider: String(p.provider),
        bucket: String(p.bucket),
        text: String(p.policy),
        policy: parsedJson(p.policy),
      })),
    ),
    versioning: stacks.flatMap((stack) =>
      resourcesOf(stack, "aws_s3_bucket_versioning").map(([name, v]) => ({
        stack: stack.name,
        address: `aws_s3_bucket_versioning.${name}`,
        provider: String(v.provider),
        bucket: String(v.bucket),
        status: String(valueAt(v, "versioning_configuration", "status") ?? ""),
      })),
    ),
  };
}
