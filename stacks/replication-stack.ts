import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Model, Replication } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { requireAwsProviderVersion } from "../lib/constructs/aws-provider-version";
import { batchReplicationRole } from "../lib/constructs/batch-replication-role";
import { destinationBucketPolicy } from "../lib/constructs/destination-bucket-policy";
import { guardExistingPolicy } from "../lib/constructs/existing-policy-guard";
import { managedBucket } from "../lib/constructs/managed-bucket";
import { replicaKey } from "../lib/constructs/replica-key";
import { replicationAlarms } from "../lib/constructs/replication-alarms";
import { replicationConfiguration } from "../lib/constructs/replication-configuration";
import { replicationKmsPolicy, replicationRole } from "../lib/constructs/replication-role";
import { handOverSharedDestinations } from "../lib/constructs/shared-destination-handover";
import { stateBackend } from "../lib/constructs/state-backend";
import { bucketAddress, STACK_TAG } from "../lib/naming";
import {
  kmsDestinations,
  replicaKeyId,
  replicaKeyPolicy,
  replicaKeyPolicyStatement,
  replicaKeyResource,
} from "../lib/policies/kms-policies";
import { LiteralStack } from "./literal-stack";

export const MANAGED_BY_TAG = { "managed-by": "s3-cross-account-replication" } as const;

/** Default tags for every provider of a stack. */
export function stackTags(project: Pick<Model, "tags">, stackName: string): Record<string, string> {
  return { ...project.tags, ...MANAGED_BY_TAG, [STACK_TAG]: stackName };
}

/**
 * One source bucket's replication, across its accounts: versioning (and creation) of the buckets
 * this stack manages, the role in the source account, a bucket policy on each destination, replica
 * keys, the replication configuration and its alarms. A shared destination's side is left to its
 * destination stack (stacks/destination-stack.ts): nothing here writes to that bucket or its key.
 */
export class ReplicationStack extends LiteralStack {
  constructor(
    scope: Construct,
    replication: Replication,
    project: Pick<Model, "backend" | "tags" | "awsProviderVersion">,
  ) {
    super(scope, replication.stackName);
    stateBackend(this, replication.stackName, project.backend);
    requireAwsProviderVersion(this, project.awsProviderVersion);

    const tags = stackTags(project, replication.stackName);
    const sourceProvider = accountProvider(this, {
      alias: "source",
      account: replication.source.account,
      region: replication.source.region,
      tags,
    });
    const providers = new Map<string, AwsProvider>([["source", sourceProvider]]);
    for (const p of replication.destinationProviders) providers.set(p.alias, accountProvider(this, { ...p, tags }));
    const providerOf = (alias: string): AwsProvider => {
      const provider = providers.get(alias);
      if (!provider) throw new Error(`internal: no provider "${alias}"`);
      return provider;
    };

    const buckets = replication.managedBuckets.map((managed) =>
      managedBucket(this, {
        address: managed.role === "source" ? "source" : bucketAddress("destination", managed.location.bucket),
        location: managed.location,
        provider: providerOf(managed.providerAlias),
        ownPolicy: managed.needsOwnPolicy,
      }),
    );

    // Replica keys the stack creates are referenced; existing ones are literal ARNs.
    const createdKeyArns = new Map<string, string>();
    const createdKeyOf = (d: DestinationBucket) => (): string => {
      const arn = createdKeyArns.get(d.bucket);
      if (!arn) throw new Error(`internal: no replica key for ${d.bucket}`);
      return arn;
    };
    const replicaKeyArn = (d: DestinationBucket): string => replicaKeyId(d, createdKeyOf(d));
    const keyResource = (d: DestinationBucket): string => replicaKeyResource(d, createdKeyOf(d));
    const { role, policy } = replicationRole(this, replication, sourceProvider);
    const keys = kmsDestinations(replication).flatMap((d) => {
      if (d.replicaKms?.kind !== "created" || d.sharedBy) return [];
      const key = replicaKey(this, {
        destination: d,
        alias: d.replicaKms.alias,
        description: `SSE-KMS replicas in ${d.bucket}, replicated from ${replication.source.bucket}`,
        policy: replicaKeyPolicy(replication, d),
        principals: [role],
        provider: providerOf(d.providerAlias),
      });
      createdKeyArns.set(d.bucket, key.arn);
      return [key];
    });
    const kmsPolicy = replicationKmsPolicy(this, replication, sourceProvider, role, keyResource);
    const rolePolicies = kmsPolicy ? [policy, kmsPolicy] : [policy];

    const createdBuckets = buckets.flatMap((b) => b.created);
    const bucketPolicies = replication.destinations
      .filter((d) => !d.sharedBy)
      .map((d) =>
        guardExistingPolicy(
          this,
          d,
          destinationBucketPolicy(this, replication, d, role, providerOf(d.providerAlias), createdBuckets),
        ),
      );
    const configuration = replicationConfiguration(
      this,
      replication,
      sourceProvider,
      [...buckets.map((b) => b.versioning), ...rolePolicies, ...bucketPolicies, ...keys],
      replicaKeyArn,
    );
    if (replication.monitoring) {
      replicationAlarms(this, replication, replication.monitoring, sourceProvider, configuration);
    }
    batchReplicationRole(this, replication, sourceProvider);
    handOverSharedDestinations(this, replication.destinations);
    this.outputs(replication);
  }

  private outputs(replication: Replication): void {
    new TerraformOutput(this, "replication_role_arn", {
      description: "The role S3 assumes to replicate (source account).",
      value: replication.role.arn,
    });
    new TerraformOutput(this, "source_bucket_arn", { value: replication.source.arn });
    new TerraformOutput(this, "destination_bucket_arns", {
      description: "Destination bucket name -> ARN.",
      value: Object.fromEntries(replication.destinations.map((d) => [d.bucket, d.arn])),
    });
    new TerraformOutput(this, "rule_ids", { value: replication.rules.map((r) => r.id) });
    new TerraformOutput(this, "batch_replication_role_arn", {
      description: "The role `npm run backfill` gives S3 Batch Operations to replicate existing objects.",
      value: replication.batch.roleArn,
    });
    new TerraformOutput(this, "batch_replication_report_location", {
      value: `s3://${replication.batch.reportBucket}/${replication.batch.reportPrefix}`,
    });
    // A shared destination's stack outputs the statement for all its sources.
    const existingKeys = kmsDestinations(replication).filter((d) => d.replicaKms?.kind === "existing" && !d.sharedBy);
    if (existingKeys.length > 0) {
      new TerraformOutput(this, "replica_key_policy_statements", {
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
}
