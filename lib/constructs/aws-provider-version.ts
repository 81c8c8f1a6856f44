import type { TerraformStack } from "cdktf";

/**
 * The AWS provider versions a stack requires. The provider bindings write their own release as an
 * exact pin; a constraint from the config (validated in lib/config/provider-version.ts) replaces
 * it. Without one, nothing is written, so the default output stays the bindings' own.
 * @see https://developer.hashicorp.com/terraform/language/providers/requirements
 */
export function requireAwsProviderVersion(stack: TerraformStack, constraint: string | undefined): void {
  if (constraint !== undefined) stack.addOverride("terraform.required_providers.aws.version", constraint);
}
