/**
 * Moving between stack layouts without destroying anything. Terraform's `moved` blocks work only
 * inside one state, so a resource changes roots in two steps: the root that now owns it `import`s
 * it (by the id the old state has for it), and the old root forgets it (`removed` with
 * `destroy = false`): AWS never sees a delete. Which new resource an old one becomes is decided by
 * what it is in AWS, not by its address (addresses carry the bucket only in grouped roots): the
 * bucket of a bucket-level document, a role's or alarm's or topic's name, a role policy's role and
 * name, a key's alias, a subscription's topic and endpoint.
 * @see https://developer.hashicorp.com/terraform/language/import
 * @see https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources
 */
import { isJsonObject, type JsonObject, objectAt, objectsAt, valueAt } from "../json";

/** A resource of an old root's state, as `terraform show -json` prints it (values.root_module.resources). */
export interface StateResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly values: JsonObject;
}

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

export interface MovePlan {
  /** Per new root: what it imports. */
  readonly imports: ReadonlyMap<string, readonly ImportBlock[]>;
  /** Per old root: the addresses it forgets. */
  readonly removed: ReadonlyMap<string, readonly string[]>;
  /** Old resources no new root holds: the move is refused while there are any. */
  readonly unmatched: readonly string[];
}

/** Types whose one resource per bucket is the bucket or one of its documents. */
const BY_BUCKET = new Set([
  "aws_s3_bucket",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_replication_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
]);

const topicName = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

/** What an old resource is in AWS, from its state (`keyAliases`: key id -> its alias names). */
function stateIdentity(r: StateResource, keyAliases: ReadonlyMap<string, string>): string | undefined {
  const v = r.values;
  if (BY_BUCKET.has(r.type)) return `${r.type}|${v.bucket}`;
  switch (r.type) {
    case "aws_iam_role":
    case "aws_kms_alias":
    case "aws_sns_topic":
      return `${r.type}|${v.name}`;
    case "aws_iam_role_policy":
      return `${r.type}|${v.role}|${v.name}`;
    case "aws_cloudwatch_metric_alarm":
      return `${r.type}|${v.alarm_name}`;
    case "aws_sns_topic_subscription":
      return `${r.type}|${topicName(String(v.topic_arn))}|${v.protocol}|${v.endpoint}`;
    case "aws_kms_key": {
      const alias = keyAliases.get(String(v.key_id ?? v.id));
      return alias && `${r.type}|${alias}`;
    }
    default:
      return undefined;
  }
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** The resource a `${type.name.attribute}` reference names in a synthesized root. */
function referenced(
  root: JsonObject,
  value: unknown,
): { type: string; name: string; resource: JsonObject } | undefined {
  const match = REFERENCE.exec(String(value));
  if (!match) return undefined;
  const resource = valueAt(root, "resource", match[1], match[2]);
  return isJsonObject(resource) ? { type: match[1], name: match[2], resource } : undefined;
}

/** A literal attribute, or the `name` of the resource a reference names (a role's, a topic's). */
function literal(root: JsonObject, value: unknown): string {
  return String(referenced(root, value)?.resource.name ?? value);
}

/** What a new root's resource will be in AWS, from its synthesized JSON. */
function synthIdentity(root: JsonObject, type: string, name: string, keyAliases: ReadonlyMap<string, string>) {
  const v: JsonObject = objectAt(valueAt(root, "resource", type), name) ?? {};
  if (BY_BUCKET.has(type)) return `${type}|${literal(root, v.bucket)}`;
  switch (type) {
    case "aws_iam_role":
    case "aws_kms_alias":
    case "aws_sns_topic":
      return `${type}|${v.name}`;
    case "aws_iam_role_policy":
      return `${type}|${literal(root, v.role)}|${v.name}`;
    case "aws_cloudwatch_metric_alarm":
      return `${type}|${v.alarm_name}`;
    case "aws_sns_topic_subscription":
      return `${type}|${literal(root, v.topic_arn)}|${v.protocol}|${v.endpoint}`;
    case "aws_kms_key": {
      const alias = keyAliases.get(name);
      return alias && `${type}|${alias}`;
    }
    default:
      return undefined;
  }
}

/** The managed resources of a state (`terraform show -json`), the root module's. */
export function stateResources(shown: unknown): StateResource[] {
  return objectsAt(shown, "values", "root_module", "resources").flatMap((r) =>
    r.mode === "managed"
      ? [{ address: String(r.address), mode: r.mode, type: String(r.type), values: objectAt(r, "values") ?? {} }]
      : [],
  );
}

/**
 * Matches every resource of the old roots' states with the new root that holds it now. Resources
 * that stay at the same address in a root of the same name need no move and are left out.
 */
export function planMove(
  oldStates: ReadonlyMap<string, readonly StateResource[]>,
  newRoots: ReadonlyMap<string, JsonObject>,
): MovePlan {
  const owners = new Map<string, { stack: string; address: string }>();
  for (const [stack, root] of newRoots) {
    const aliases = new Map<string, string>();
    const declared: JsonObject = objectAt(root, "resource") ?? {};
    for (const alias of Object.values(objectAt(declared, "aws_kms_alias") ?? {})) {
      const key = referenced(root, valueAt(alias, "target_key_id"));
      if (key) aliases.set(key.name, String(valueAt(alias, "name")));
    }
    for (const [type, resources] of Object.entries(declared)) {
      for (const name of Object.keys(isJsonObject(resources) ? resources : {})) {
        const identity = synthIdentity(root, type, name, aliases);
        if (identity) owners.set(identity, { stack, address: `${type}.${name}` });
      }
    }
  }
  const imports = new Map<string, ImportBlock[]>();
  const removed = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const [stack, resources] of oldStates) {
    const aliases = new Map(
      resources
        .filter((r) => r.type === "aws_kms_alias")
        .map((r) => [String(r.values.target_key_id), String(r.values.name)]),
    );
    for (const r of resources) {
      const identity = stateIdentity(r, aliases);
      const owner = identity ? owners.get(identity) : undefined;
      if (!owner) {
        unmatched.push(`${stack}: ${r.address}`);
        continue;
      }
      if (owner.stack === stack && owner.address === r.address) continue;
      // Every type the stacks create imports by the `id` its state holds, as each resource's
      // Import section in the provider docs (5.100.0) says: the bucket name for aws_s3_bucket and
      // its bucket-level documents (`bucket,expected_bucket_owner` where that is set, which is then
      // the id too), the role name, `role_name:role_policy_name` for aws_iam_role_policy, the key
      // id, the alias name, the alarm name, the topic and the subscription ARN. Proven by
      // proof-move-layout (__tests__/e2e/move-proof.ts), which imports all fourteen.
      // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/iam_role_policy#import
      // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/s3_bucket_versioning#import
      // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/sns_topic_subscription#import
      imports.set(owner.stack, [...(imports.get(owner.stack) ?? []), { to: owner.address, id: String(r.values.id) }]);
      removed.set(stack, [...(removed.get(stack) ?? []), r.address]);
    }
  }
  // The new roots in the order they were given (deployment order), whichever old root came first.
  const ordered = new Map(
    [...newRoots.keys()].flatMap((stack) => (imports.has(stack) ? [[stack, imports.get(stack) as ImportBlock[]]] : [])),
  );
  return { imports: ordered, removed, unmatched };
}

/** The `import` blocks of a new root, as Terraform JSON. */
export function importsJson(blocks: readonly ImportBlock[]): JsonObject {
  return { import: blocks.map((b) => ({ to: b.to, id: b.id })) };
}

/**
 * A retirement root for an old stack: its backend and providers (from its synthesized JSON), and
 * a `removed` block with `destroy = false` for each address it forgets. It declares no resource,
 * so its plan can only forget.
 */
export function retirementJson(oldRoot: JsonObject, addresses: readonly string[]): JsonObject {
  return {
    terraform: oldRoot.terraform,
    provider: oldRoot.provider,
    removed: addresses.map((from) => ({ from, lifecycle: { destroy: false } })),
  };
}
