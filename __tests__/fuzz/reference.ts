/**
 * The fuzz oracle's reference: what the synthesized stacks must hold, derived again from the config
 * with the README's config reference and feature sections as the only source. The product's loader
 * decides whether a config is accepted; nothing else of the product is used (no model, names, ARNs,
 * policies or action lists), so a lost rule, a dropped prefix or a swapped account in the product
 * cannot agree with itself here. Where the README leaves a detail out, a comment says where the
 * reference takes it from. reference-findings.ts compares it with the synthesized JSON.
 */

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Stack layout: the one place that says which stack holds what (README, Choosing a stack layout).

/** Stack names cannot hold dots: they become hyphens (the README writes `replication-<source-bucket>`). */
const dashed = (bucket: string): string => bucket.replace(/\./g, "-");

/**
 * The stack that holds a replication (README, Choosing a stack layout): its own `stack`
 * (`replication-<stack>`); else by `stackLayout`: `per-bucket` (the default) one per source bucket,
 * `replication-<source-bucket>`; `per-account` `replication-account-<source account>`; `single`
 * `replication-all`.
 */
export function stackOfReplication(config: Json, r: Json): string {
  if (typeof r.stack === "string") return `replication-${r.stack}`;
  switch (config.stackLayout ?? "per-bucket") {
    case "per-account":
      return `replication-account-${r.source.account}`;
    case "single":
      return "replication-all";
    default:
      return `replication-${dashed(r.source.bucket)}`;
  }
}

/**
 * A destination several sources share has a stack of its own (README, Central log archive), but in
 * the single layout it is the one stack (README, Choosing a stack layout).
 */
export function stackOfSharedDestination(config: Json, bucket: string): string {
  return config.stackLayout === "single" ? "replication-all" : `replication-destination-${dashed(bucket)}`;
}

/** README, State bucket bootstrap. */
export const STATE_BOOTSTRAP_STACK = "replication-state-bootstrap";

// ---------------------------------------------------------------------------------------------
// The config, resolved by the README's defaults

/**
 * The ARN partition of a Region, by the Region codes of each partition.
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
function partitionOfRegion(region: string): string {
  const partitions: Array<[RegExp, string]> = [
    [/^cn-/, "aws-cn"],
    [/^us-gov-/, "aws-us-gov"],
    [/^us-iso-/, "aws-iso"],
    [/^us-isob-/, "aws-iso-b"],
    [/^eu-isoe-/, "aws-iso-e"],
    [/^us-isof-/, "aws-iso-f"],
    [/^eusc-/, "aws-eusc"],
  ];
  return partitions.find(([pattern]) => pattern.test(region))?.[1] ?? "aws";
}

/** A bucket, where it is. */
export interface Place {
  readonly bucket: string;
  readonly accountName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly create: boolean;
  readonly objectLock: boolean;
  /** Created buckets are always BucketOwnerEnforced (README, Buckets the stack creates). */
  readonly ownerEnforced: boolean;
}

export type ReplicaKey =
  | { readonly kind: "existing"; readonly arn: string }
  | { readonly kind: "created"; readonly alias: string };

export interface ReferenceRule {
  readonly id: string;
  readonly priority: number;
  readonly enabled: boolean;
  /** "" for the whole bucket. */
  readonly prefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly deleteMarkers: boolean;
  readonly destination: Place;
  /** The destination's side lives in its own stack (README, Central log archive). */
  readonly sharedDestination: boolean;
  readonly ownerOverride: boolean;
  readonly storageClass?: string;
  /** Present when the rule replicates SSE-KMS objects. */
  readonly replicaKey?: ReplicaKey;
  readonly replicaModifications: boolean;
  readonly rtc: boolean;
  readonly metrics: boolean;
}

export interface ReferenceReplication {
  readonly stack: string;
  readonly source: Place;
  readonly roleName: string;
  /** The default name was past IAM's 64 characters: only its start is known (README: "shortened with a hash"). */
  readonly roleNameCut: boolean;
  readonly rolePath: string;
  readonly rules: readonly ReferenceRule[];
  readonly monitoring?: { readonly latency: number; readonly topicArn?: string; readonly email?: string };
}

/** A provider a stack must declare. */
export interface ReferenceProvider {
  readonly account: string;
  readonly region: string;
  readonly profile?: string;
  readonly assume_role?: { role_arn: string; session_name?: string; external_id?: string };
  /** `managed-by` is "(set)": the README says it is always set, not to what. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A bucket and the stacks that write its bucket-level documents. */
export interface ReferenceBucket {
  readonly place: Place;
  /** Writes its versioning (and creates it, with `create`). */
  readonly manager: string;
  /** Writes its bucket policy, if any stack does. */
  readonly policyOwner?: string;
}

export interface CreatedKey {
  readonly stack: string;
  readonly alias: string;
  readonly place: Place;
}

export type ReferenceState =
  | { readonly type: "local"; readonly file: string }
  | { readonly type: "s3"; readonly [attribute: string]: unknown };

export interface Reference {
  readonly stacks: ReadonlySet<string>;
  readonly replications: readonly ReferenceReplication[];
  readonly buckets: ReadonlyMap<string, ReferenceBucket>;
  readonly providers: ReadonlyMap<string, readonly ReferenceProvider[]>;
  readonly keys: readonly CreatedKey[];
  /** Where a stack keeps its state: a file in the project root, or the S3 backend's attributes. */
  readonly state: (stack: string) => ReferenceState;
}

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

function place(config: Json, mention: Json): Place {
  const account = own<Json>(config.accounts, mention.account) as Json;
  const region: string = mention.region ?? account.region;
  const create = mention.create === true;
  return {
    bucket: mention.bucket,
    accountName: mention.account,
    accountId: account.accountId,
    region,
    partition: partitionOfRegion(region),
    create,
    objectLock: mention.objectLock === true,
    ownerEnforced: create || mention.objectOwnership === "BucketOwnerEnforced",
  };
}

function replicaKeyOf(destination: Json): ReplicaKey | undefined {
  const kms = destination.replicaKms;
  if (!kms) return undefined;
  if (kms.keyArn) return { kind: "existing", arn: kms.keyArn };
  // The README's default is `alias/s3-replica-<bucket>`; KMS aliases cannot hold dots.
  // @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
  return { kind: "created", alias: kms.alias ?? `alias/s3-replica-${dashed(destination.bucket)}` };
}

function referenceRule(config: Json, source: Place, rule: Json, shared: ReadonlySet<string>): ReferenceRule {
  const destination = place(config, rule.destination);
  const rtc = rule.replicationTime !== undefined;
  return {
    id: rule.id,
    priority: rule.priority,
    enabled: rule.enabled !== false,
    prefix: rule.filter?.prefix ?? "",
    tags: rule.filter?.tags ?? {},
    deleteMarkers: rule.deleteMarkerReplication === true,
    destination,
    sharedDestination: shared.has(destination.bucket),
    // README, replicaOwner: owner override by default, not between buckets of one account; Object
    // ownership: none into a BucketOwnerEnforced bucket.
    ownerOverride:
      (rule.replicaOwner ?? "destination") === "destination" &&
      !destination.ownerEnforced &&
      destination.accountId !== source.accountId,
    storageClass: rule.destination.storageClass,
    replicaKey: rule.replicateSseKms === true ? replicaKeyOf(rule.destination) : undefined,
    replicaModifications: rule.replicaModifications === true,
    rtc,
    // README, metrics: "default true with replicationTime, else false".
    metrics: rule.metrics ?? rtc,
  };
}

export const ROLE_NAME_MAX = 64;

function referenceReplication(config: Json, r: Json, shared: ReadonlySet<string>): ReferenceReplication {
  const source = place(config, r.source);
  const roleName: string = r.role?.name ?? `s3-replication-${r.source.bucket}`;
  const monitoring = r.monitoring && {
    latency: r.monitoring.latencyThresholdSeconds ?? 900,
    topicArn: r.monitoring.snsTopicArn,
    email: r.monitoring.email,
  };
  return {
    stack: stackOfReplication(config, r),
    source,
    roleName: roleName.length > ROLE_NAME_MAX ? roleName.slice(0, 40) : roleName,
    roleNameCut: roleName.length > ROLE_NAME_MAX,
    rolePath: r.role?.path ?? "/",
    rules: r.rules.map((rule: Json) => referenceRule(config, source, rule, shared)),
    monitoring,
  };
}

/** Two sources naming one destination make it shared, and so does `sharedDestinations` (README). */
function sharedBuckets(config: Json): Set<string> {
  const sources = new Map<string, Set<number>>();
  config.replications.forEach((r: Json, i: number) => {
    for (const rule of r.rules) {
      sources.set(rule.destination.bucket, (sources.get(rule.destination.bucket) ?? new Set()).add(i));
    }
  });
  const shared = [...sources].filter(([bucket, s]) => s.size > 1 || own(config.sharedDestinations, bucket));
  return new Set(shared.map(([bucket]) => bucket));
}

/**
 * The buckets and who writes their bucket-level documents: one owner each (DESIGN's ownership
 * rule). Versioning and creation: a shared destination's stack, else the earliest stack that names
 * the bucket, stacks ranked by their first replication in the config (README, Two-way; Choosing a
 * stack layout). The policy: the replication grant on a destination (its shared
 * stack, or the one source stack replicating into it), a TLS-only policy on a created bucket that
 * is no destination (README, Buckets the stack creates), and the state bucket's own.
 */
function bucketsOf(
  config: Json,
  replications: readonly ReferenceReplication[],
  shared: ReadonlySet<string>,
): Map<string, ReferenceBucket> {
  const places = new Map<string, Place>();
  const managers = new Map<string, string>([...shared].map((b) => [b, stackOfSharedDestination(config, b)]));
  const rank = (stack: string) => replications.findIndex((r) => r.stack === stack);
  const mention = (p: Place, stack: string) => {
    if (!places.has(p.bucket)) places.set(p.bucket, p);
    const current = managers.get(p.bucket);
    // The state bucket's bootstrap (mentioned last) manages only a bucket no replication names.
    const earlier = current !== undefined && !shared.has(p.bucket) && rank(stack) >= 0 && rank(stack) < rank(current);
    if (current === undefined || earlier) managers.set(p.bucket, stack);
  };
  for (const r of replications)
    for (const p of [r.source, ...r.rules.map((rule) => rule.destination)]) mention(p, r.stack);
  const bootstrap = config.backend.type === "s3" ? config.backend.bootstrap : undefined;
  if (bootstrap) {
    const { bucket, region } = config.backend;
    mention(place(config, { account: bootstrap.account, bucket, region, create: true }), STATE_BOOTSTRAP_STACK);
  }
  const buckets = new Map<string, ReferenceBucket>();
  for (const [bucket, p] of places) {
    const manager = managers.get(bucket) as string;
    const sources = replications.filter((r) => r.rules.some((rule) => rule.destination.bucket === bucket));
    const policyOwner = shared.has(bucket)
      ? stackOfSharedDestination(config, bucket)
      : sources.length === 1
        ? sources[0].stack
        : p.create
          ? manager
          : undefined;
    buckets.set(bucket, { place: p, manager, policyOwner });
  }
  return buckets;
}

/**
 * Each stack's providers: one per account and Region it works in, with the account's credentials
 * and the default tags (README, tags: "managed-by and replication-stack are always set"). A source
 * stack keeps a shared destination's provider declared (README, From one source to several).
 */
function providersOf(
  config: Json,
  replications: readonly ReferenceReplication[],
  buckets: ReadonlyMap<string, ReferenceBucket>,
  shared: ReadonlySet<string>,
): Map<string, ReferenceProvider[]> {
  const providers = new Map<string, ReferenceProvider[]>();
  const add = (stack: string, p: Place) => {
    const credentials = own<Json>(config.accounts, p.accountName)?.credentials ?? {};
    const provider: ReferenceProvider = {
      account: p.accountId,
      region: p.region,
      profile: credentials.profile,
      assume_role: credentials.roleArn
        ? { role_arn: credentials.roleArn, session_name: credentials.sessionName, external_id: credentials.externalId }
        : undefined,
      tags: { ...(config.tags ?? {}), "managed-by": "(set)", "replication-stack": stack },
    };
    providers.set(stack, [...(providers.get(stack) ?? []), provider]);
  };
  for (const r of replications) {
    add(r.stack, r.source);
    for (const rule of r.rules) add(r.stack, rule.destination);
  }
  for (const bucket of shared) {
    add(stackOfSharedDestination(config, bucket), (buckets.get(bucket) as ReferenceBucket).place);
  }
  if (config.backend.type === "s3" && config.backend.bootstrap) {
    add(STATE_BOOTSTRAP_STACK, (buckets.get(config.backend.bucket) as ReferenceBucket).place);
  }
  return providers;
}

/** README, backend: `<keyPrefix>/<stack>/terraform.tfstate`; local state and the bootstrap's in the project root. */
function stateOf(config: Json): (stack: string) => ReferenceState {
  const backend = config.backend;
  return (stack) => {
    if (backend.type === "local" || stack === STATE_BOOTSTRAP_STACK) {
      return { type: "local", file: `terraform.${stack}.tfstate` };
    }
    const credentials = backend.credentials ?? {};
    return {
      type: "s3",
      bucket: backend.bucket,
      region: backend.region,
      key: `${backend.keyPrefix ?? "s3-replication"}/${stack}/terraform.tfstate`,
      encrypt: true,
      // README, backend.type: "remote, with S3-native locking".
      use_lockfile: true,
      profile: credentials.profile,
      assume_role: credentials.roleArn
        ? { role_arn: credentials.roleArn, session_name: credentials.sessionName, external_id: credentials.externalId }
        : undefined,
    };
  };
}

/** The replica keys the stacks create: one per destination, where its bucket-level documents live. */
function keysOf(config: Json, replications: readonly ReferenceReplication[]): CreatedKey[] {
  const keys = new Map<string, CreatedKey>();
  for (const r of replications) {
    for (const rule of r.rules) {
      if (rule.replicaKey?.kind !== "created") continue;
      const d = rule.destination;
      const stack = rule.sharedDestination ? stackOfSharedDestination(config, d.bucket) : r.stack;
      keys.set(`${stack}|${d.bucket}`, { stack, alias: rule.replicaKey.alias, place: d });
    }
  }
  return [...keys.values()];
}

/** What the stacks synthesized from `config` (an accepted config, as parsed JSON) must hold. */
export function referenceOf(config: Json): Reference {
  const shared = sharedBuckets(config);
  const replications = (config.replications as Json[]).map((r) => referenceReplication(config, r, shared));
  const buckets = bucketsOf(config, replications, shared);
  const bootstrap = config.backend.type === "s3" && config.backend.bootstrap;
  return {
    stacks: new Set([
      ...replications.map((r) => r.stack),
      ...[...shared].map((bucket) => stackOfSharedDestination(config, bucket)),
      ...(bootstrap ? [STATE_BOOTSTRAP_STACK] : []),
    ]),
    replications,
    buckets,
    providers: providersOf(config, replications, buckets, shared),
    keys: keysOf(config, replications),
    state: stateOf(config),
  };
}
