import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  S3BucketReplicationConfigurationA,
  type S3BucketReplicationConfigurationRule,
  type S3BucketReplicationConfigurationRuleFilter,
} from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { Replication, Rule, RuleFilter } from "../config/model";
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

/** One rule in the V2 form: filter, priority and delete_marker_replication are always present. */
export function ruleBlock(rule: Rule): S3BucketReplicationConfigurationRule {
  return {
    id: rule.id,
    priority: rule.priority,
    status: status(rule.enabled),
    filter: filterBlock(rule.filter),
    deleteMarkerReplication: { status: status(rule.deleteMarkerReplication) },
    destination: {
      bucket: rule.destination.arn,
      account: rule.destination.account.accountId,
      accessControlTranslation: rule.ownerOverride ? { owner: "Destination" } : undefined,
    },
  };
}

/**
 * The source bucket's replication configuration. It waits for versioning on both buckets (S3
 * answers "Destination bucket must have versioning enabled" otherwise), for the role's policy,
 * and for the destination bucket policies, so replication starts only once it can succeed.
 */
export function replicationConfiguration(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  dependencies: readonly TerraformResource[],
): S3BucketReplicationConfigurationA {
  const configuration = new S3BucketReplicationConfigurationA(scope, "replication_configuration", {
    provider,
    bucket: replication.source.bucket,
    role: replication.role.arn,
    rule: replication.rules.map(ruleBlock),
  });
  configuration.overrideLogicalId("replication");
  dependsOn(configuration, dependencies);
  return configuration;
}
