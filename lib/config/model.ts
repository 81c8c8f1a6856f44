/**
 * The validated, resolved model every later stage reads: account names are resolved to accounts,
 * Regions and ARN partitions are filled in, defaults are applied, and it is decided which stack
 * manages which bucket. Nothing downstream reads the raw config.
 */
import { bucketArn, partitionOf, roleArn } from "../arn";
import {
  batchRoleName,
  defaultReplicaKeyAlias,
  defaultRoleName,
  destinationAliases,
  groupedProviderAlias,
  providerKey,
  replicationId,
} from "../naming";
import type { ConfigIssue } from "./config-error";
import { ruleHasMetrics } from "./rule-defaults";
import {
  ACCOUNT_PLACEHOLDER,
  type BackendConfig,
  type Config,
  type Credentials,
  type DestinationConfig,
  type PolicyStatement,
  type SourceConfig,
  type StackLayout,
  type StorageClass,
} from "./schema";
import { sharedBucketNames } from "./shared-buckets";
import { assignStacks, bucketManagers } from "./stack-units";

export type { StackLayout };

export interface Account {
  /** The key under "accounts" in the config. */
  readonly name: string;
  readonly accountId: string;
  readonly credentials: Credentials;
}

export interface BucketLocation {
  readonly account: Account;
  readonly bucket: string;
  readonly region: string;
  readonly partition: string;
  readonly arn: string;
  /** The stack creates the bucket (with versioning, public access block, encryption, TLS-only policy). */
  readonly create: boolean;
  readonly objectLock: boolean;
  /** BucketOwnerEnforced when created; otherwise what the config declares, if anything. */
  readonly objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
  readonly bucketKeyEnabled: boolean;
}

export interface SourceBucket extends BucketLocation {
  /** KMS keys that encrypt source objects. */
  readonly sseKmsKeyArns: readonly string[];
}

export type ReplicaKms =
  | { readonly kind: "existing"; readonly keyArn: string }
  | { readonly kind: "created"; readonly alias: string };

export interface DestinationBucket extends BucketLocation {
  /** The provider alias that manages resources of this bucket. */
  readonly providerAlias: string;
  /** True when at least one rule into this bucket uses owner override. */
  readonly ownerOverride: boolean;
  readonly additionalStatements: readonly PolicyStatement[];
  /** The config says removing statements the bucket's policy has today is intended. */
  readonly replaceExistingStatements: boolean;
  /** The key SSE-KMS replicas are encrypted with, when a rule replicates SSE-KMS objects. */
  readonly replicaKms?: ReplicaKms;
  /**
   * The stack that owns this bucket's versioning, policy and replica key, when several sources
   * share it (its destination stack, or in the single layout the one stack); the replication then
   * writes nothing of the destination's side.
   */
  readonly sharedBy?: string;
}

export interface RuleFilter {
  readonly prefix?: string;
  /** Sorted by key, so that synthesized JSON does not depend on the order in the file. */
  readonly tags: ReadonlyArray<readonly [string, string]>;
}

export interface Rule {
  readonly id: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly filter: RuleFilter;
  readonly deleteMarkerReplication: boolean;
  readonly destination: DestinationBucket;
  /** AccessControlTranslation Owner=Destination: asked for, and not implied by BucketOwnerEnforced. */
  readonly ownerOverride: boolean;
  readonly replicateSseKms: boolean;
  readonly replicaModifications: boolean;
  /** RTC threshold in minutes (always 15), when RTC is on. */
  readonly replicationTimeMinutes?: number;
  readonly metrics: boolean;
  readonly storageClass?: StorageClass;
}

export interface ReplicationRole {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly permissionsBoundary?: string;
  readonly restrictTrustToSourceBucket: boolean;
}

export interface DestinationProvider {
  readonly alias: string;
  readonly account: Account;
  readonly region: string;
}

/** A bucket whose bucket-level resources (creation, versioning) this replication's part of its stack manages. */
export interface ManagedBucket {
  readonly location: BucketLocation;
  /** "source" for the replication's source bucket (its address: see managedBucketAddress), "destination" otherwise. */
  readonly role: "source" | "destination";
  readonly providerAlias: string;
  /** No stack writes a replication bucket policy on it: this stack writes a TLS-only one. */
  readonly needsOwnPolicy: boolean;
}

export interface Monitoring {
  readonly latencyThresholdSeconds: number;
  readonly snsTopicArn?: string;
  readonly email?: string;
}

/** What `npm run backfill` needs: the Batch Operations role and where its reports go. */
export interface BatchReplication {
  readonly roleName: string;
  readonly roleArn: string;
  readonly reportBucket: string;
  readonly reportBucketArn: string;
  readonly reportPrefix: string;
}

export interface Replication {
  /**
   * Layout-independent: `replication-<source bucket>` (dots as hyphens). It names what the
   * replication creates in AWS (alarm topic and alarms, role descriptions), so that a move between
   * layouts renames (replaces) nothing. In the per-bucket layout it is also the stack's name.
   */
  readonly id: string;
  /** The stack (Terraform root) that holds it: model.stacks says what else that stack holds. */
  readonly stackName: string;
  readonly source: SourceBucket;
  /** The provider alias of the source account and Region in its stack. */
  readonly sourceProviderAlias: string;
  readonly role: ReplicationRole;
  readonly rules: readonly Rule[];
  /** The config says removing replication rules the source bucket has today is intended. */
  readonly replaceExistingRules: boolean;
  /** One entry per distinct destination bucket, in the order rules first name them. */
  readonly destinations: readonly DestinationBucket[];
  readonly destinationProviders: readonly DestinationProvider[];
  /**
   * Buckets this replication's part of its stack creates and versions: each bucket has one
   * manager (see stack-units.ts), so two stacks never manage one bucket's versioning.
   */
  readonly managedBuckets: readonly ManagedBucket[];
  /** Stacks that manage buckets this one replicates between: deploy them first. */
  readonly dependsOnStacks: readonly string[];
  readonly monitoring?: Monitoring;
  readonly batch: BatchReplication;
}

/**
 * Organization-wide mode: any member account's role matching the pattern may replicate, each
 * account only under its own key prefix.
 */
export interface OrganizationGrant {
  readonly id: string;
  /** An aws:PrincipalArn pattern: `arn:<partition>:iam::*:role/<roleNamePattern>`. */
  readonly principalArnPattern: string;
  /** Each member account's keys start with `before`, its account id, then `after`. */
  readonly accountPrefix: { readonly before: string; readonly after: string };
}

/**
 * A destination bucket several sources replicate into, and the stack that owns its side: versioning
 * (and creation), the one bucket policy with every source's grant, and a created replica key.
 */
export interface SharedDestination {
  readonly stackName: string;
  readonly destination: DestinationBucket;
  /** The replications writing into the bucket, in config order: each gets its own grant. */
  readonly sources: readonly Replication[];
  readonly organization?: OrganizationGrant;
}

export interface StateBootstrap {
  readonly stackName: string;
  readonly account: Account;
  readonly region: string;
  readonly bucket: string;
}

/** A provider of a stack: an alias, the account it pins and its Region. */
export interface StackProvider {
  readonly alias: string;
  readonly account: Account;
  readonly region: string;
}

/** One Terraform root: what it holds and which roots it follows. */
export interface StackUnit {
  readonly name: string;
  /**
   * Its addresses and outputs carry the bucket they belong to, and its providers are named
   * `<account>_<region>`: every stack but a per-bucket replication stack and a shared destination's own stack.
   */
  readonly grouped: boolean;
  readonly replications: readonly Replication[];
  /** Destination sides this root owns (versioning, the one bucket policy, a created replica key). */
  readonly sharedDestinations: readonly SharedDestination[];
  /** Every provider its resources (or hand-over blocks) use, in the order they are declared. */
  readonly providers: readonly StackProvider[];
  /** Roots to apply first (cdktf stack dependencies). */
  readonly dependsOn: readonly string[];
}

export interface Model {
  readonly stackLayout: StackLayout;
  /** Every stack but the state bootstrap, in deployment order: the one place that says which root holds what. */
  readonly stacks: readonly StackUnit[];
  readonly backend: BackendConfig;
  readonly tags: Readonly<Record<string, string>>;
  /** The AWS provider version constraint every stack requires, when the config widens the default pin. */
  readonly awsProviderVersion?: string;
  readonly replications: readonly Replication[];
  /** Destination stacks: deployed before the source stacks that replicate into them. */
  readonly sharedDestinations: readonly SharedDestination[];
  readonly stateBootstrap?: StateBootstrap;
  /** Probable mistakes that do not stop a synth (see warnings.ts). */
  readonly warnings: readonly ConfigIssue[];
}

export const STATE_BOOTSTRAP_STACK = "replication-state-bootstrap";

type BucketMention = Pick<
  SourceConfig | DestinationConfig,
  "account" | "bucket" | "region" | "create" | "objectLock" | "objectOwnership" | "bucketKeyEnabled"
>;

/** A record's entry by key; own properties only, so a bucket named "constructor" reads nothing inherited. */
function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An account by name; own properties only, so a name never reads an inherited value. */
export function accountNamed(config: Pick<Config, "accounts">, name: string): Config["accounts"][string] | undefined {
  return Object.hasOwn(config.accounts, name) ? config.accounts[name] : undefined;
}

function configAccount(config: Config, name: string): Config["accounts"][string] {
  const account = accountNamed(config, name);
  if (!account) throw new Error(`internal: unknown account "${name}" passed the checks`);
  return account;
}

function accountOf(config: Config, name: string): Account {
  const account = configAccount(config, name);
  return { name, accountId: account.accountId, credentials: account.credentials ?? {} };
}

function location(config: Config, ref: BucketMention): BucketLocation {
  const region = ref.region ?? configAccount(config, ref.account).region;
  const partition = partitionOf(region);
  const create = ref.create ?? false;
  return {
    account: accountOf(config, ref.account),
    bucket: ref.bucket,
    region,
    partition,
    arn: bucketArn(partition, ref.bucket),
    create,
    objectLock: ref.objectLock ?? false,
    objectOwnership: create ? "BucketOwnerEnforced" : ref.objectOwnership,
    bucketKeyEnabled: ref.bucketKeyEnabled ?? false,
  };
}

function replicaKmsOf(destination: DestinationConfig): ReplicaKms | undefined {
  const kms = destination.replicaKms;
  if (!kms) return undefined;
  if (kms.keyArn) return { kind: "existing", keyArn: kms.keyArn };
  return { kind: "created", alias: kms.alias ?? defaultReplicaKeyAlias(destination.bucket) };
}

/**
 * Owner override (AccessControlTranslation): asked for, not implied by BucketOwnerEnforced, and
 * cross-account: "Specify this only in a cross-account scenario (where source and destination
 * bucket owners are not the same)".
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html
 */
function usesOwnerOverride(
  replicaOwner: "destination" | "source",
  source: BucketLocation,
  destination: BucketLocation,
): boolean {
  return (
    replicaOwner === "destination" &&
    destination.objectOwnership !== "BucketOwnerEnforced" &&
    source.account.accountId !== destination.account.accountId
  );
}

/** Splits an organization's key prefix at the account placeholder (the schema requires exactly one). */
export function accountPrefixOf(accountKeyPrefix: string): OrganizationGrant["accountPrefix"] {
  const [before, after] = accountKeyPrefix.split(ACCOUNT_PLACEHOLDER);
  return { before, after };
}

/** Resolves a config that passed schema and semantic checks. */
export function toModel(config: Config, warnings: readonly ConfigIssue[] = []): Model {
  const shared = sharedBucketNames(config);
  const assignment = assignStacks(config, shared);
  const managers = bucketManagers(config, shared, assignment);
  const sharedSet = new Set(shared);
  // A shared bucket's policy holds every source's grant: owner override if any source asks.
  const overriddenShared = new Set(
    config.replications.flatMap((r) =>
      r.rules
        .filter(
          (rule) =>
            sharedSet.has(rule.destination.bucket) &&
            usesOwnerOverride(rule.replicaOwner, location(config, r.source), location(config, rule.destination)),
        )
        .map((rule) => rule.destination.bucket),
    ),
  );
  const destinationBuckets = new Set(
    config.replications.flatMap((r) => r.rules.map((rule) => rule.destination.bucket)),
  );
  const replications = config.replications.map((r, index): Replication => {
    const ownStack = assignment.stackOf[index];
    const grouped = assignment.grouped(ownStack);
    const source: SourceBucket = { ...location(config, r.source), sseKmsKeyArns: r.source.sseKmsKeyArns ?? [] };
    const targets = r.rules.map((rule) => ({
      account: rule.destination.account,
      region: rule.destination.region ?? configAccount(config, rule.destination.account).region,
    }));
    const aliases = grouped
      ? new Map(targets.map((t) => [providerKey(t.account, t.region), groupedProviderAlias(t.account, t.region)]))
      : destinationAliases(targets);
    const sourceProviderAlias = grouped ? groupedProviderAlias(source.account.name, source.region) : "source";
    const destinations = new Map<string, DestinationBucket>();
    for (const rule of r.rules) {
      const loc = location(config, rule.destination);
      const previous = destinations.get(loc.bucket);
      const ownerOverride = usesOwnerOverride(rule.replicaOwner, source, loc);
      const isShared = sharedSet.has(loc.bucket);
      destinations.set(loc.bucket, {
        ...loc,
        providerAlias: aliases.get(providerKey(loc.account.name, loc.region)) as string,
        ownerOverride: isShared
          ? overriddenShared.has(loc.bucket)
          : (previous?.ownerOverride ?? false) || ownerOverride,
        additionalStatements: isShared
          ? (ownEntry(config.sharedDestinations, loc.bucket)?.additionalStatements ?? [])
          : (ownEntry(r.destinationPolicies, loc.bucket)?.additionalStatements ?? []),
        replaceExistingStatements: isShared
          ? (ownEntry(config.sharedDestinations, loc.bucket)?.replaceExistingStatements ?? false)
          : (ownEntry(r.destinationPolicies, loc.bucket)?.replaceExistingStatements ?? false),
        replicaKms: previous?.replicaKms ?? replicaKmsOf(rule.destination),
        sharedBy: isShared ? assignment.holderOf(loc.bucket) : undefined,
      });
    }
    // A shared destination's side lives in its own stack; its provider stays declared so that a
    // stack which held the destination while it was one-to-one can forget it (see
    // handOverSharedDestinations). Terraform configures a provider only when a resource in the
    // configuration or the state uses it, so teams without credentials there are not asked for them.
    const providers = new Map<string, DestinationProvider>();
    for (const d of destinations.values()) {
      providers.set(d.providerAlias, { alias: d.providerAlias, account: d.account, region: d.region });
    }
    const managedBuckets: ManagedBucket[] = [];
    const dependsOnStacks = new Set<string>();
    for (const loc of [source, ...destinations.values()]) {
      const manager = managers.get(loc.bucket) as { stack: string; replication?: number };
      if (manager.stack !== ownStack) {
        dependsOnStacks.add(manager.stack);
        continue;
      }
      if (manager.replication !== index) continue;
      const isSource = loc.bucket === source.bucket;
      managedBuckets.push({
        location: loc,
        role: isSource ? "source" : "destination",
        providerAlias: isSource
          ? sourceProviderAlias
          : (destinations.get(loc.bucket) as DestinationBucket).providerAlias,
        needsOwnPolicy: loc.create && !destinationBuckets.has(loc.bucket),
      });
    }
    const roleName = r.role.name ?? defaultRoleName(r.source.bucket);
    const reportBucket = r.batchReplication.reportBucket ?? r.source.bucket;
    return {
      id: replicationId(r.source.bucket),
      stackName: ownStack,
      source,
      sourceProviderAlias,
      role: {
        name: roleName,
        path: r.role.path,
        arn: roleArn(source.partition, source.account.accountId, r.role.path, roleName),
        permissionsBoundary: r.role.permissionsBoundary,
        restrictTrustToSourceBucket: r.role.restrictTrustToSourceBucket,
      },
      rules: r.rules.map((rule) => {
        const destination = destinations.get(rule.destination.bucket) as DestinationBucket;
        return {
          id: rule.id,
          priority: rule.priority,
          enabled: rule.enabled,
          filter: {
            prefix: rule.filter?.prefix || undefined,
            tags: Object.entries(rule.filter?.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          },
          deleteMarkerReplication: rule.deleteMarkerReplication,
          destination,
          ownerOverride: usesOwnerOverride(rule.replicaOwner, source, destination),
          replicateSseKms: rule.replicateSseKms,
          replicaModifications: rule.replicaModifications,
          replicationTimeMinutes: rule.replicationTime?.minutes,
          metrics: ruleHasMetrics(rule),
          storageClass: rule.destination.storageClass,
        };
      }),
      replaceExistingRules: r.replaceExistingRules,
      destinations: [...destinations.values()],
      destinationProviders: [...providers.values()],
      managedBuckets,
      dependsOnStacks: [...dependsOnStacks],
      monitoring: r.monitoring,
      batch: {
        roleName: batchRoleName(r.source.bucket),
        roleArn: roleArn(source.partition, source.account.accountId, "/", batchRoleName(r.source.bucket)),
        reportBucket,
        reportBucketArn: bucketArn(source.partition, reportBucket),
        reportPrefix: r.batchReplication.reportPrefix,
      },
    };
  });
  const sharedDestinations = shared.map((bucket): SharedDestination => {
    const sources = replications.filter((r) => r.destinations.some((d) => d.bucket === bucket));
    const destination = sources[0].destinations.find((d) => d.bucket === bucket) as DestinationBucket;
    const organization = ownEntry(config.sharedDestinations, bucket)?.organization;
    const holder = assignment.holderOf(bucket);
    return {
      stackName: holder,
      destination: {
        ...destination,
        providerAlias: assignment.grouped(holder)
          ? groupedProviderAlias(destination.account.name, destination.region)
          : "destination",
      },
      sources,
      organization: organization && {
        id: organization.id,
        principalArnPattern: roleArn(destination.partition, "*", "/", organization.roleNamePattern),
        accountPrefix: accountPrefixOf(organization.accountKeyPrefix),
      },
    };
  });
  const bootstrap = config.backend.type === "s3" ? config.backend.bootstrap : undefined;
  return {
    stackLayout: config.stackLayout,
    stacks: stackUnits(assignment.order, assignment.grouped, replications, sharedDestinations),
    backend: config.backend,
    tags: config.tags,
    awsProviderVersion: config.awsProviderVersion,
    replications,
    sharedDestinations,
    stateBootstrap:
      bootstrap && config.backend.type === "s3"
        ? {
            stackName: STATE_BOOTSTRAP_STACK,
            account: accountOf(config, bootstrap.account),
            region: config.backend.region,
            bucket: config.backend.bucket,
          }
        : undefined,
    warnings,
  };
}

/** The stacks, in deployment order, with what each holds, its providers and the stacks it follows. */
function stackUnits(
  order: readonly string[],
  grouped: (stack: string) => boolean,
  replications: readonly Replication[],
  sharedDestinations: readonly SharedDestination[],
): StackUnit[] {
  return order.map((name): StackUnit => {
    const held = replications.filter((r) => r.stackName === name);
    const sides = sharedDestinations.filter((d) => d.stackName === name);
    const providers = new Map<string, StackProvider>();
    const add = (alias: string, location: Pick<BucketLocation, "account" | "region">) => {
      if (!providers.has(alias)) providers.set(alias, { alias, account: location.account, region: location.region });
    };
    for (const d of sides) add(d.destination.providerAlias, d.destination);
    for (const r of held) {
      add(r.sourceProviderAlias, r.source);
      for (const p of r.destinationProviders) add(p.alias, p);
    }
    const dependsOn = [...new Set(held.flatMap((r) => r.dependsOnStacks))].filter((stack) => stack !== name);
    return {
      name,
      grouped: grouped(name),
      replications: held,
      sharedDestinations: sides,
      providers: [...providers.values()],
      dependsOn,
    };
  });
}
