import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Replication } from "../config/model";
import { type ReplicationAddresses, replicationAddresses } from "../naming";
import {
  kmsDestinations,
  replicaKeyId,
  replicaKeyPolicy,
  replicaKeyPolicyStatement,
  replicaKeyResource,
} from "../policies/kms-policies";
import { batchReplicationRole } from "./batch-replication-role";
import { destinationBucketPolicy } from "./destination-bucket-policy";
import { guardExistingPolicy } from "./existing-policy-guard";
import type { ManagedBucketResources } from "./managed-bucket";
import { namedOutput } from "./named-output";
import { replicaKey } from "./replica-key";
import { replicationAlarms } from "./replication-alarms";
import { replicationConfiguration } from "./replication-configuration";
import { replicationKmsPolicy, replicationRole } from "./replication-role";

/** What a shared destination's side in the same stack gives the replications that write into it. */
export interface SharedSideResources {
  /** Versioning (and creation), the one bucket policy, a created replica key and its alias. */
  readonly resources: readonly TerraformResource[];
}

/** The stack a replication's resources are built in, as they see it. */
export interface ReplicationContext {
  /** Its addresses and outputs carry the source bucket (a grouped stack). */
  readonly grouped: boolean;
  readonly provider: (alias: string) => AwsProvider;
  /** The versioning (and creation) of the buckets this stack manages, by bucket. */
  readonly managed: ReadonlyMap<string, ManagedBucketResources>;
  /** The shared destinations whose side this stack holds, by bucket. */
  readonly sharedSides: ReadonlyMap<string, SharedSideResources>;
}

/**
 * One source bucket's replication in its stack: the role in the source account, a bucket policy on
 * each destination it alone writes to, replica keys it creates, the replication configuration and
 * its alarms, the Batch Replication role and the outputs. The configuration waits (depends_on) for
 * what it needs in the same stack: the versioning of its buckets, the role's policies, the bucket
 * policies and the replica keys, its own or a shared destination's side; what another stack
 * manages is ordered by a stack dependency instead (lib/config/stack-units.ts).
 */
export function replicationResources(scope: Construct, replication: Replication, context: ReplicationContext): void {
  const addresses = replicationAddresses(replication.source.bucket, context.grouped);
  const sourceProvider = context.provider(replication.sourceProviderAlias);
  // Replica keys the stack creates are referenced; existing ones are literal ARNs.
  const createdKeyArns = new Map<string, string>();
  const createdKeyOf = (d: DestinationBucket) => (): string => {
    const arn = createdKeyArns.get(d.bucket);
    if (!arn) throw new Error(`internal: no replica key for ${d.bucket}`);
    return arn;
  };
  const replicaKeyArn = (d: DestinationBucket): string => replicaKeyId(d, createdKeyOf(d));
  const keyResource = (d: DestinationBucket): string => replicaKeyResource(d, createdKeyOf(d));
  const { role, policy } = replicationRole(scope, replication, sourceProvider, addresses);
  const keys = kmsDestinations(replication).flatMap((d) => {
    if (d.replicaKms?.kind !== "created" || d.sharedBy) return [];
    const { key } = replicaKey(scope, {
      destination: d,
      alias: d.replicaKms.alias,
      description: `SSE-KMS replicas in ${d.bucket}, replicated from ${replication.source.bucket}`,
      policy: replicaKeyPolicy(replication, d),
      principals: [role],
      provider: context.provider(d.providerAlias),
    });
    createdKeyArns.set(d.bucket, key.arn);
    return [key];
  });
  const kmsPolicy = replicationKmsPolicy(scope, replication, sourceProvider, role, keyResource, addresses);
  const rolePolicies = kmsPolicy ? [policy, kmsPolicy] : [policy];

  const bucketPolicies = replication.destinations
    .filter((d) => !d.sharedBy)
    .map((d) =>
      guardExistingPolicy(
        scope,
        d,
        destinationBucketPolicy(
          scope,
          replication,
          d,
          role,
          context.provider(d.providerAlias),
          context.managed.get(d.bucket)?.created ?? [],
        ),
      ),
    );
  const buckets = [replication.source, ...replication.destinations];
  const versioning = buckets.flatMap((b) => {
    const managed = context.managed.get(b.bucket);
    return managed ? [managed.versioning] : [];
  });
  // A shared destination's side in this stack, for a destination, or for the source when the
  // bucket is also a destination others share: its versioning must be on before the configuration.
  const sharedSides = [replication.source, ...replication.destinations].flatMap(
    (b) => context.sharedSides.get(b.bucket)?.resources ?? [],
  );
  const configuration = replicationConfiguration(
    scope,
    replication,
    sourceProvider,
    [...versioning, ...rolePolicies, ...bucketPolicies, ...keys, ...sharedSides],
    replicaKeyArn,
    addresses,
  );
  if (replication.monitoring) {
    replicationAlarms(scope, replication, replication.monitoring, sourceProvider, configuration, addresses);
  }
  batchReplicationRole(scope, replication, sourceProvider, addresses);
  replicationOutputs(scope, replication, addresses);
}

function replicationOutputs(scope: Construct, replication: Replication, addresses: ReplicationAddresses): void {
  const output = addresses.output;
  namedOutput(scope, output("replication_role_arn"), {
    description: "The role S3 assumes to replicate (source account).",
    value: replication.role.arn,
  });
  namedOutput(scope, output("source_bucket_arn"), { value: replication.source.arn });
  namedOutput(scope, output("destination_bucket_arns"), {
    description: "Destination bucket name -> ARN.",
    value: Object.fromEntries(replication.destinations.map((d) => [d.bucket, d.arn])),
  });
  namedOutput(scope, output("rule_ids"), { value: replication.rules.map((r) => r.id) });
  namedOutput(scope, output("batch_replication_role_arn"), {
    description: "The role `npm run backfill` gives S3 Batch Operations to replicate existing objects.",
    value: replication.batch.roleArn,
  });
  namedOutput(scope, output("batch_replication_report_location"), {
    value: `s3://${replication.batch.reportBucket}/${replication.batch.reportPrefix}`,
  });
  // A shared destination's side outputs the statement for all its sources.
  const existingKeys = kmsDestinations(replication).filter((d) => d.replicaKms?.kind === "existing" && !d.sharedBy);
  if (existingKeys.length > 0) {
    namedOutput(scope, output("replica_key_policy_statements"), {
      description: "Replica key ARN -> the key policy statement its owner must add so the role can encrypt replicas.",
      value: Object.fromEntries(
        existingKeys.map((d) => [
          d.replicaKms?.kind === "existing" ? d.replicaKms.keyArn : "",
          JSON.stringify(replicaKeyPolicyStatement(replication, d), null, 2),
        ]),
      ),
    });
  }
}
