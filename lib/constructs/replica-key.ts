import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket, Replication } from "../config/model";
import { replicaKeyAddress } from "../naming";
import { replicaKeyPolicy } from "../policies/kms-policies";
import { toJson } from "../policies/policy-document";
import { dependsOn } from "./terraform-address";

/**
 * A customer managed key in the destination account for SSE-KMS replicas (AWS managed keys cannot
 * be used across accounts): symmetric, rotated yearly, with an alias, and a key policy that lets
 * the replication role encrypt with it.
 */
export function replicaKey(
  scope: Construct,
  replication: Replication,
  destination: DestinationBucket,
  alias: string,
  role: TerraformResource,
  provider: AwsProvider,
): KmsKey {
  const address = replicaKeyAddress(destination.bucket);
  const key = new KmsKey(scope, `key_${address}`, {
    provider,
    description: `SSE-KMS replicas in ${destination.bucket}, replicated from ${replication.source.bucket}`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: toJson(replicaKeyPolicy(replication, destination)),
    // Destroying the key would make every replica it encrypted unreadable 30 days later.
    lifecycle: { preventDestroy: true },
  });
  key.overrideLogicalId(address);
  // KMS refuses a key policy naming a principal that does not exist yet.
  dependsOn(key, [role]);
  const keyAlias = new KmsAlias(scope, `alias_${address}`, { provider, name: alias, targetKeyId: key.keyId });
  keyAlias.overrideLogicalId(address);
  return key;
}
