import { LocalBackend, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { bucketArn, partitionOf } from "../lib/arn";
import type { Model, StateBootstrap } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { requireAwsProviderVersion } from "../lib/constructs/aws-provider-version";
import { managedBucket } from "../lib/constructs/managed-bucket";
import { LiteralStack } from "./literal-stack";
import { stackTags } from "./replication-stack";

/**
 * The S3 bucket that holds every replication stack's Terraform state: versioned, encrypted,
 * private, TLS-only, never destroyed by Terraform. Its own state stays local (the bucket cannot
 * hold the state of its own creation); deploy it once, before any replication stack.
 */
export class StateBootstrapStack extends LiteralStack {
  constructor(scope: Construct, bootstrap: StateBootstrap, project: Pick<Model, "tags" | "awsProviderVersion">) {
    super(scope, bootstrap.stackName);
    new LocalBackend(this, { path: `../../../terraform.${bootstrap.stackName}.tfstate` });
    requireAwsProviderVersion(this, project.awsProviderVersion);
    const provider = accountProvider(this, {
      alias: "state",
      account: bootstrap.account,
      region: bootstrap.region,
      tags: stackTags(project, bootstrap.stackName),
    });
    const partition = partitionOf(bootstrap.region);
    managedBucket(this, {
      address: "state",
      location: {
        bucket: bootstrap.bucket,
        partition,
        arn: bucketArn(partition, bootstrap.bucket),
        create: true,
        objectLock: false,
      },
      provider,
      ownPolicy: true,
    });
    new TerraformOutput(this, "state_bucket", { value: bootstrap.bucket });
  }
}
