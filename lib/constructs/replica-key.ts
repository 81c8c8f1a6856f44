import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { DestinationBucket } from "../config/model";
import { replicaKeyAddress } from "../naming";
import { type PolicyDocument, toJson } from "../policies/policy-document";
import { dependsOn } from "./terraform-address";

export interface ReplicaKeyProps {
  readonly destination: DestinationBucket;
  readonly alias: string;
  /** Who it encrypts replicas for, in words. */
  readonly description: string;
  readonly policy: PolicyDocument;
  /** Principals the key policy names: KMS refuses a key policy naming one that does not exist yet. */
  readonly principals: readonly TerraformResource[];
  readonly provider: AwsProvider;
}

/**
 * A customer managed key in the destination account for SSE-KMS replicas (AWS managed keys cannot
 * be used across accounts): symmetric, rotated yearly, with an alias, and a key policy that lets
 * the replication role(s) encrypt with it. It has no tags of its own: its provider's default tags,
 * which the provider sends with CreateKey, give it the stack tag (STACK_TAG) from creation on, and
 * the apply operator policy administers only keys that carry it (lib/operator-policy).
 */
export function replicaKey(scope: Construct, props: ReplicaKeyProps): { key: KmsKey; alias: KmsAlias } {
  const { destination, provider } = props;
  const address = replicaKeyAddress(destination.bucket);
  const key = new KmsKey(scope, `key_${address}`, {
    provider,
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: toJson(props.policy),
    // Destroying the key would make every replica it encrypted unreadable 30 days later.
    lifecycle: { preventDestroy: true },
  });
  key.overrideLogicalId(address);
  if (props.principals.length > 0) dependsOn(key, props.principals);
  const keyAlias = new KmsAlias(scope, `alias_${address}`, { provider, name: props.alias, targetKeyId: key.keyId });
  keyAlias.overrideLogicalId(address);
  return { key, alias: keyAlias };
}
