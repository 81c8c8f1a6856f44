import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Model, Replication } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { bucketVersioning } from "../lib/constructs/bucket-versioning";
import { destinationBucketPolicy } from "../lib/constructs/destination-bucket-policy";
import { replicationConfiguration } from "../lib/constructs/replication-configuration";
import { replicationRole } from "../lib/constructs/replication-role";
import { stateBackend } from "../lib/constructs/state-backend";
import { bucketAddress } from "../lib/naming";

export const MANAGED_BY_TAG = { "managed-by": "s3-cross-account-replication" } as const;

/**
 * One source bucket's replication, across its accounts: versioning on every bucket, the role in
 * the source account, a bucket policy on each destination, and the replication configuration.
 */
export class ReplicationStack extends TerraformStack {
  constructor(scope: Construct, replication: Replication, project: Pick<Model, "backend" | "tags">) {
    super(scope, replication.stackName);
    stateBackend(this, replication.stackName, project.backend);

    const tags = { ...project.tags, ...MANAGED_BY_TAG, "replication-stack": replication.stackName };
    const sourceProvider = accountProvider(this, {
      alias: "source",
      account: replication.source.account,
      region: replication.source.region,
      tags,
    });
    const destinationProviders = new Map(
      replication.destinationProviders.map((p) => [p.alias, accountProvider(this, { ...p, tags })]),
    );
    const providerOf = (d: DestinationBucket): AwsProvider => {
      const provider = destinationProviders.get(d.providerAlias);
      if (!provider) throw new Error(`internal: no provider "${d.providerAlias}" for bucket ${d.bucket}`);
      return provider;
    };

    const versioning = [
      bucketVersioning(this, "source", replication.source.bucket, sourceProvider),
      ...replication.destinations.map((d) =>
        bucketVersioning(this, bucketAddress("destination", d.bucket), d.bucket, providerOf(d)),
      ),
    ];
    const { role, policy } = replicationRole(this, replication, sourceProvider);
    const bucketPolicies = replication.destinations.map((d) =>
      destinationBucketPolicy(this, replication, d, role, providerOf(d)),
    );
    replicationConfiguration(this, replication, sourceProvider, [...versioning, policy, ...bucketPolicies]);

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
  }
}
