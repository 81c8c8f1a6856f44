import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { SharedDestination } from "../config/model";
import { bucketAddress, sharedDestinationOutput } from "../naming";
import { sharedReplicaKeyPolicy, sharedReplicaKeyPolicyStatement } from "../policies/kms-policies";
import { sharedBucketPolicy } from "./destination-bucket-policy";
import { guardExistingPolicy } from "./existing-policy-guard";
import { managedBucket } from "./managed-bucket";
import { namedOutput } from "./named-output";
import { replicaKey } from "./replica-key";
import type { SharedSideResources } from "./replication-resources";

/**
 * The destination side of a bucket several sources replicate into (a central log archive), in the
 * destination account only: versioning (and creation, with Object Lock and BucketOwnerEnforced),
 * the one bucket policy with every source's grant, and a created replica key with its key policy.
 * Its own stack (applied before the source stacks), or, in the single layout, the one stack, where
 * the sources' replication configurations wait for it with depends_on. No replication writes to
 * the bucket or its key, so applying or destroying one source never touches another's grant or the
 * bucket's versioning.
 */
export function sharedDestinationSide(
  scope: Construct,
  shared: SharedDestination,
  provider: AwsProvider,
  grouped: boolean,
): SharedSideResources {
  const d = shared.destination;
  const output = (name: string) => sharedDestinationOutput(name, d.bucket, grouped);
  const bucket = managedBucket(scope, {
    address: bucketAddress("destination", d.bucket),
    location: d,
    provider,
    ownPolicy: false,
  });
  const policy = guardExistingPolicy(scope, d, sharedBucketPolicy(scope, shared, provider, bucket.created));
  const resources = [bucket.versioning, policy];
  const kms = d.replicaKms;
  if (kms?.kind === "created") {
    const { key, alias } = replicaKey(scope, {
      destination: d,
      alias: kms.alias,
      description: `SSE-KMS replicas in ${d.bucket}, replicated from ${shared.organization ? `organization ${shared.organization.id}` : shared.sources.map((r) => r.source.bucket).join(", ")}`,
      policy: sharedReplicaKeyPolicy(shared),
      principals: [],
      provider,
    });
    resources.push(key, alias);
    namedOutput(scope, output("replica_key_arn"), { value: key.arn });
  }
  if (kms?.kind === "existing") {
    namedOutput(scope, output("replica_key_policy_statements"), {
      description:
        "Replica key ARN -> the key policy statement its owner must add so the source roles can encrypt replicas.",
      value: { [kms.keyArn]: JSON.stringify(sharedReplicaKeyPolicyStatement(shared), null, 2) },
    });
  }
  namedOutput(scope, output("destination_bucket_arn"), { value: d.arn });
  // In organization mode nothing here names a source, so a new member account changes nothing.
  const sourceStacks = [...new Set(shared.sources.map((r) => r.stackName))].filter((s) => s !== shared.stackName);
  if (!shared.organization && sourceStacks.length > 0) {
    namedOutput(scope, output("source_stacks"), {
      description: "The source stacks that replicate into this bucket: apply them after this stack.",
      value: sourceStacks,
    });
  }
  return { resources };
}
