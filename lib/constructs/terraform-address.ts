import type { TerraformResource } from "cdktf";

/** A resource's Terraform address, e.g. `aws_iam_role.replication`, as plain text. */
export function terraformAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Sets depends_on from literal addresses. cdktf's `dependsOn` option renders the same JSON but
 * makes two tokens per entry, each capturing a full stack trace: measured at 500 stacks, that was
 * about a quarter of synth time.
 */
export function dependsOn(resource: TerraformResource, dependencies: readonly TerraformResource[]): void {
  resource.addOverride("depends_on", dependencies.map(terraformAddress));
}
