import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  S3BucketReplicationConfigurationA,
  type S3BucketReplicationConfigurationRule,
  type S3BucketReplicationConfigurationRuleFilter,
} from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Replication, Rule, RuleFilter } from "../config/model";
import type { ReplicationAddresses } from "../naming";
import { dependsOn } from "./terraform-address";

/**
 * The V2 filter: empty (whole bucket), a prefix, one tag, or `and` for anything combined.
 * `filter {}` rather than `filter { prefix = "" }`, which gave perpetual diffs
 * (hashicorp/terraform-provider-aws#23487).
 */
export function filterBlock(filter: RuleFilter): S3BucketReplicationConfigurationRuleFilter {
  const tags = Object.fromEntries(filter.tags);
  if (filter.tags.length === 0) return filter.prefix ? { prefix: filter.prefix } : {};
  if (filter.tags.length === 1 && !filter.prefix) {
    const [[key, value]] = filter.tags;
    return { tag: { key, value } };
  }
  return { and: { prefix: filter.prefix, tags } };
}

function status(enabled: boolean): string {
  return enabled ? "Enabled" : "Disabled";
}

/** S3 Replication Time Control and metrics accept 15 minutes only. */
const FIFTEEN_MINUTES = { minutes: 15 };

/**
 * One rule in the V2 form: filter, priority and delete_marker_replication are always present.
 * `replicaKeyArn` gives the destination's replica key ARN (literal, or a created key's reference).
 */
export function ruleBlock(
  rule: Rule,
  replicaKeyArn: (destination: DestinationBucket) => string,
): S3BucketReplicationConfigurationRule {
  const selection = {
    sseKmsEncryptedObjects: rule.replicateSseKms ? { status: "Enabled" } : undefined,
    replicaModifications: rule.replicaModifications ? { status: "Enabled" } : undefined,
  };
  return {
    id: rule.id,
    priority: rule.priority,
    status: status(rule.enabled),
    filter: filterBlock(rule.filter),
    deleteMarkerReplication: { status: status(rule.deleteMarkerReplication) },
    sourceSelectionCriteria: rule.replicateSseKms || rule.replicaModifications ? selection : undefined,
    destination: {
      bucket: rule.destination.arn,
      account: rule.destination.account.accountId,
      accessControlTranslation: rule.ownerOverride ? { owner: "Destination" } : undefined,
      storageClass: rule.storageClass,
      encryptionConfiguration:
        rule.replicateSseKms && rule.destination.replicaKms
          ? { replicaKmsKeyId: replicaKeyArn(rule.destination) }
          : undefined,
      replicationTime: rule.replicationTimeMinutes
        ? { status: "Enabled", time: { minutes: rule.replicationTimeMinutes } }
        : undefined,
      metrics: rule.metrics ? { status: "Enabled", eventThreshold: FIFTEEN_MINUTES } : undefined,
    },
  };
}

/**
 * The source bucket's replication configuration. It waits for versioning on both buckets (S3
 * answers "Destination bucket must have versioning enabled" otherwise), for the role's policies,
 * the destination bucket policies and replica keys, so replication starts only once it can succeed.
 */
export function replicationConfiguration(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  dependencies: readonly TerraformResource[],
  replicaKeyArn: (destination: DestinationBucket) => string,
  addresses: Pick<ReplicationAddresses, "replication">,
): S3BucketReplicationConfigurationA {
  const configuration = new S3BucketReplicationConfigurationA(scope, "replication_configuration", {
    provider,
    bucket: replication.source.bucket,
    role: replication.role.arn,
    rule: replication.rules.map((rule) => ruleBlock(rule, replicaKeyArn)),
  });
  configuration.overrideLogicalId(addresses.replication);
  dependsOn(configuration, dependencies);
  return configuration;
}
