import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/schema";

/**
 * The stack's Terraform state: S3 with S3-native locking, or a local file for trying it out.
 * cdktf 0.21's S3Backend has no use_lockfile option (Terraform 1.10 added it, 1.11 made it
 * stable and deprecated DynamoDB locking), so it is set as an override.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export function stateBackend(stack: TerraformStack, stackName: string, backend: BackendConfig): void {
  if (backend.type === "local") {
    // Terraform runs in cdktf.out/stacks/<stack>; the state file lives in the project root,
    // outside the synthesized output, and the path is relative so that synth stays deterministic.
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  const { credentials } = backend;
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackName}/terraform.tfstate`,
    region: backend.region,
    encrypt: true,
    profile: credentials?.profile,
    assumeRole: credentials?.roleArn
      ? { roleArn: credentials.roleArn, sessionName: credentials.sessionName, externalId: credentials.externalId }
      : undefined,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
