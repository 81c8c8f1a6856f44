import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Model, SharedDestination } from "../lib/config/model";
import { accountProvider } from "../lib/constructs/account-provider";
import { requireAwsProviderVersion } from "../lib/constructs/aws-provider-version";
import { sharedBucketPolicy } from "../lib/constructs/destination-bucket-policy";
import { guardExistingPolicy } from "../lib/constructs/existing-policy-guard";
import { managedBucket } from "../lib/constructs/managed-bucket";
import { replicaKey } from "../lib/constructs/replica-key";
import { stateBackend } from "../lib/constructs/state-backend";
import { bucketAddress } from "../lib/naming";
import { sharedReplicaKeyPolicy, sharedReplicaKeyPolicyStatement } from "../lib/policies/kms-policies";
import { LiteralStack } from "./literal-stack";
import { stackTags } from "./replication-stack";

/**
 * The destination side of a bucket several sources replicate into (a central log archive), in the
 * destination account only: versioning (and creation, with Object Lock and BucketOwnerEnforced),
 * the one bucket policy with every source's grant, and a created replica key with its key policy.
 * It is applied before the source stacks, and none of them writes to the bucket, so applying or
 * destroying a source stack never touches another source's grant or the bucket's versioning.
 */
export class DestinationStack extends LiteralStack {
  constructor(
    scope: Construct,
    shared: SharedDestination,
    project: Pick<Model, "backend" | "tags" | "awsProviderVersion">,
  ) {
    super(scope, shared.stackName);
    stateBackend(this, shared.stackName, project.backend);
    requireAwsProviderVersion(this, project.awsProviderVersion);
    const d = shared.destination;
    const provider = accountProvider(this, {
      alias: d.providerAlias,
      account: d.account,
      region: d.region,
      tags: stackTags(project, shared.stackName),
    });
    const bucket = managedBucket(this, {
      address: bucketAddress("destination", d.bucket),
      location: d,
      provider,
      ownPolicy: false,
    });
    guardExistingPolicy(this, d, sharedBucketPolicy(this, shared, provider, bucket.created));

    const kms = d.replicaKms;
    if (kms?.kind === "created") {
      const key = replicaKey(this, {
        destination: d,
        alias: kms.alias,
        description: `SSE-KMS replicas in ${d.bucket}, replicated from ${shared.organization ? `organization ${shared.organization.id}` : shared.sources.map((r) => r.source.bucket).join(", ")}`,
        policy: sharedReplicaKeyPolicy(shared),
        principals: [],
        provider,
      });
      new TerraformOutput(this, "replica_key_arn", { value: key.arn });
    }
    if (kms?.kind === "existing") {
      new TerraformOutput(this, "replica_key_policy_statements", {
        description:
          "Replica key ARN -> the key policy statement its owner must add so the source roles can encrypt replicas.",
        value: { [kms.keyArn]: JSON.stringify(sharedReplicaKeyPolicyStatement(shared), null, 2) },
      });
    }
    new TerraformOutput(this, "destination_bucket_arn", { value: d.arn });
    // In organization mode nothing here names a source, so a new member account changes nothing.
    if (!shared.organization) {
      new TerraformOutput(this, "source_stacks", {
        description: "The source stacks that replicate into this bucket: apply them after this stack.",
        value: shared.sources.map((r) => r.stackName),
      });
    }
  }
}
