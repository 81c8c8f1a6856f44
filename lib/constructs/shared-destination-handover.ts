import type { TerraformStack } from "cdktf";
import type { DestinationBucket } from "../config/model";
import { bucketAddress, replicaKeyAddress } from "../naming";

/**
 * The addresses a source stack held for a destination while it was its only source: its
 * versioning and bucket policy, and, where the stack created them, the bucket's settings and the
 * replica key. Once a second source makes the bucket shared, its destination stack owns them.
 */
function oneToOneAddresses(destination: DestinationBucket): string[] {
  const bucket = bucketAddress("destination", destination.bucket);
  const key = replicaKeyAddress(destination.bucket);
  return [
    `aws_s3_bucket_versioning.${bucket}`,
    `aws_s3_bucket_policy.${bucket}`,
    ...(destination.create
      ? [
          `aws_s3_bucket.${bucket}`,
          `aws_s3_bucket_public_access_block.${bucket}`,
          `aws_s3_bucket_ownership_controls.${bucket}`,
          `aws_s3_bucket_server_side_encryption_configuration.${bucket}`,
        ]
      : []),
    ...(destination.replicaKms?.kind === "created" ? [`aws_kms_key.${key}`, `aws_kms_alias.${key}`] : []),
  ];
}

/**
 * `removed` blocks with destroy = false for each shared destination another stack holds: when a
 * one-to-one setup gains a second source, the first source's stack forgets the destination's
 * resources instead of destroying them. Destroying them would suspend the bucket's versioning and
 * delete the bucket policy the destination stack now writes. Terraform ignores a removed block
 * whose address is not in state, so the blocks are harmless for stacks that never held them; a
 * stack that holds the shared side itself (the single layout) keeps the same addresses and needs none.
 * @see https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources
 */
export function handOverSharedDestinations(stack: TerraformStack, destinations: readonly DestinationBucket[]): void {
  const handedOver = destinations.filter(
    (d, i) =>
      d.sharedBy !== undefined &&
      d.sharedBy !== stack.node.id &&
      destinations.findIndex((other) => other.bucket === d.bucket) === i,
  );
  const removed = handedOver.flatMap(oneToOneAddresses).map((from) => ({ from, lifecycle: { destroy: false } }));
  if (removed.length > 0) stack.addOverride("removed", removed);
}
