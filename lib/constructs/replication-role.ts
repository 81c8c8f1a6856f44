import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { Replication } from "../config/model";
import { ROLE_POLICY_NAME } from "../naming";
import { toJson } from "../policies/policy-document";
import { rolePolicy } from "../policies/role-policy";
import { trustPolicy } from "../policies/trust-policy";
import { dependsOn } from "./terraform-address";

export interface ReplicationRoleResources {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
}

/**
 * The role S3 assumes to replicate (source account), and its inline permissions policy. Both
 * documents are literal JSON so the plan shows them whole.
 */
export function replicationRole(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
): ReplicationRoleResources {
  const role = new IamRole(scope, "replication_role", {
    provider,
    name: replication.role.name,
    path: replication.role.path,
    permissionsBoundary: replication.role.permissionsBoundary,
    description: `S3 replication from ${replication.source.bucket} (${replication.stackName})`,
    assumeRolePolicy: toJson(trustPolicy(replication)),
  });
  role.overrideLogicalId("replication");
  const policy = new IamRolePolicy(scope, "replication_role_policy", {
    provider,
    // The literal name (not role.name) keeps the plan free of "known after apply"; depends_on
    // keeps the order a reference would have given.
    role: replication.role.name,
    name: ROLE_POLICY_NAME,
    policy: toJson(rolePolicy(replication)),
  });
  policy.overrideLogicalId("replication");
  dependsOn(policy, [role]);
  return { role, policy };
}
