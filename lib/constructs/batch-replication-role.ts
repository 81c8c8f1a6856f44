import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { Replication } from "../config/model";
import { BATCH_ROLE_POLICY_NAME, type ReplicationAddresses } from "../naming";
import { batchRolePolicy, batchTrustPolicy } from "../policies/batch-policies";
import { toJson } from "../policies/policy-document";
import { dependsOn } from "./terraform-address";

/**
 * The role S3 Batch Operations assumes for `npm run backfill` (Batch Replication of existing
 * objects). Terraform has no resource for Batch Operations jobs: the job itself is started by the
 * command, not by the stack.
 */
export function batchReplicationRole(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  addresses: Pick<ReplicationAddresses, "batchRole">,
): IamRole {
  const { batch } = replication;
  const role = new IamRole(scope, "batch_replication_role", {
    provider,
    name: batch.roleName,
    permissionsBoundary: replication.role.permissionsBoundary,
    description: `S3 Batch Replication of existing objects in ${replication.source.bucket} (${replication.id})`,
    assumeRolePolicy: toJson(batchTrustPolicy()),
  });
  role.overrideLogicalId(addresses.batchRole);
  const policy = new IamRolePolicy(scope, "batch_replication_role_policy", {
    provider,
    role: batch.roleName,
    name: BATCH_ROLE_POLICY_NAME,
    policy: toJson(batchRolePolicy(replication)),
  });
  policy.overrideLogicalId(addresses.batchRole);
  dependsOn(policy, [role]);
  return role;
}
