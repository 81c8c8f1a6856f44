/**
 * The validated, resolved model every later stage reads: account names are resolved to accounts,
 * Regions and ARN partitions are filled in, defaults are applied. Nothing downstream reads the raw
 * config.
 */
import { bucketArn, partitionOf, roleArn } from "../arn";
import { defaultRoleName, destinationAliases, providerKey, stackName } from "../naming";
import type { BackendConfig, Config, Credentials, PolicyStatement } from "./schema";

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
}

export interface DestinationBucket extends BucketLocation {
  /** The provider alias that manages resources of this bucket. */
  readonly providerAlias: string;
  /** True when at least one rule into this bucket gives replicas to the destination account. */
  readonly ownerOverride: boolean;
  readonly additionalStatements: readonly PolicyStatement[];
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
  readonly ownerOverride: boolean;
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

export interface Replication {
  readonly stackName: string;
  readonly source: BucketLocation;
  readonly role: ReplicationRole;
  readonly rules: readonly Rule[];
  /** One entry per distinct destination bucket, in the order rules first name them. */
  readonly destinations: readonly DestinationBucket[];
  readonly destinationProviders: readonly DestinationProvider[];
}

export interface Model {
  readonly backend: BackendConfig;
  readonly tags: Readonly<Record<string, string>>;
  readonly replications: readonly Replication[];
}

function location(config: Config, ref: { account: string; bucket: string; region?: string }): BucketLocation {
  const account = config.accounts[ref.account];
  const region = ref.region ?? account.region;
  const partition = partitionOf(region);
  return {
    account: { name: ref.account, accountId: account.accountId, credentials: account.credentials ?? {} },
    bucket: ref.bucket,
    region,
    partition,
    arn: bucketArn(partition, ref.bucket),
  };
}

/** Resolves a config that passed schema and semantic checks. */
export function toModel(config: Config): Model {
  const replications = config.replications.map((r): Replication => {
    const source = location(config, r.source);
    const aliases = destinationAliases(
      r.rules.map((rule) => ({
        account: rule.destination.account,
        region: rule.destination.region ?? config.accounts[rule.destination.account].region,
      })),
    );
    const destinations = new Map<string, DestinationBucket>();
    for (const rule of r.rules) {
      const loc = location(config, rule.destination);
      const previous = destinations.get(loc.bucket);
      destinations.set(loc.bucket, {
        ...loc,
        providerAlias: aliases.get(providerKey(loc.account.name, loc.region)) as string,
        ownerOverride: (previous?.ownerOverride ?? false) || rule.replicaOwner === "destination",
        additionalStatements: r.destinationPolicies[loc.bucket]?.additionalStatements ?? [],
      });
    }
    const providers = new Map<string, DestinationProvider>();
    for (const d of destinations.values()) {
      providers.set(d.providerAlias, { alias: d.providerAlias, account: d.account, region: d.region });
    }
    const roleName = r.role.name ?? defaultRoleName(r.source.bucket);
    return {
      stackName: stackName(r.source.bucket),
      source,
      role: {
        name: roleName,
        path: r.role.path,
        arn: roleArn(source.partition, source.account.accountId, r.role.path, roleName),
        permissionsBoundary: r.role.permissionsBoundary,
        restrictTrustToSourceBucket: r.role.restrictTrustToSourceBucket,
      },
      rules: r.rules.map((rule) => ({
        id: rule.id,
        priority: rule.priority,
        enabled: rule.enabled,
        filter: {
          prefix: rule.filter?.prefix || undefined,
          tags: Object.entries(rule.filter?.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        },
        deleteMarkerReplication: rule.deleteMarkerReplication,
        destination: destinations.get(rule.destination.bucket) as DestinationBucket,
        ownerOverride: rule.replicaOwner === "destination",
      })),
      destinations: [...destinations.values()],
      destinationProviders: [...providers.values()],
    };
  });
  return { backend: config.backend, tags: config.tags, replications };
}
