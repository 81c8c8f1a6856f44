import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Replication, SharedDestination } from "../config/model";
import { bucketAddress } from "../naming";
import {
  destinationBucketPolicy as policyFor,
  sharedDestinationBucketPolicy,
} from "../policies/destination-bucket-policy";
import { toJson } from "../policies/policy-document";
import { dependsOn, terraformAddress } from "./terraform-address";

/**
 * The destination bucket's policy (destination account): lets the replication role write
 * replicas. It owns the bucket's whole policy.
 */
export function destinationBucketPolicy(
  scope: Construct,
  replication: Replication,
  destination: DestinationBucket,
  role: IamRole,
  provider: AwsProvider,
  /** The destination's creation and settings, when the same stack creates it. */
  created: readonly TerraformResource[],
): S3BucketPolicy {
  const address = bucketAddress("destination", destination.bucket);
  const policy = new S3BucketPolicy(scope, `policy_${address}`, {
    provider,
    bucket: destination.bucket,
    policy: toJson(policyFor(replication, destination)),
    lifecycle: {
      // IAM stores a bucket policy principal as the role's unique id: a recreated role with the
      // same ARN is not granted until the policy is written again.
      replaceTriggeredBy: [`${terraformAddress(role)}.unique_id`],
    },
  });
  policy.overrideLogicalId(address);
  // S3 refuses a policy whose principal does not exist yet: the literal ARN hides that order. A
  // bucket this stack creates must exist, with public access blocked, before its policy.
  dependsOn(policy, [role, ...created]);
  return policy;
}

/**
 * A shared destination's policy, written by its destination stack alone. It names source accounts
 * and role ARNs only in conditions, so it needs no role to exist and no replacement when one is
 * recreated: no dependency on, and no replace_triggered_by for, any source stack.
 */
export function sharedBucketPolicy(
  scope: Construct,
  shared: SharedDestination,
  provider: AwsProvider,
  createdBuckets: readonly TerraformResource[],
): S3BucketPolicy {
  const address = bucketAddress("destination", shared.destination.bucket);
  const policy = new S3BucketPolicy(scope, `policy_${address}`, {
    provider,
    bucket: shared.destination.bucket,
    policy: toJson(sharedDestinationBucketPolicy(shared)),
  });
  policy.overrideLogicalId(address);
  dependsOn(policy, createdBuckets);
  return policy;
}
