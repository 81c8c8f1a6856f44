import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { DestinationBucket, Replication } from "../config/model";
import { type ReplicationAddresses, ROLE_KMS_POLICY_NAME, ROLE_POLICY_NAME } from "../naming";
import { roleKmsPolicy } from "../policies/kms-policies";
import type { PolicyDocument } from "../policies/policy-document";
import { toJson } from "../policies/policy-document";
import { rolePolicy } from "../policies/role-policy";
import { trustPolicy } from "../policies/trust-policy";
import { dependsOn } from "./terraform-address";

export interface ReplicationRoleResources {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
}

function inlinePolicy(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  role: IamRole,
  id: string,
  address: string,
  name: string,
  document: PolicyDocument,
): IamRolePolicy {
  // The literal role name (not role.name) keeps the plan free of "known after apply";
  // depends_on keeps the order a reference would have given.
  const policy = new IamRolePolicy(scope, `replication_role_${id}`, {
    provider,
    role: replication.role.name,
    name,
    policy: toJson(document),
  });
  policy.overrideLogicalId(address);
  dependsOn(policy, [role]);
  return policy;
}

/**
 * The role S3 assumes to replicate (source account) and its inline permissions policy. Both
 * documents are literal JSON so the plan shows them whole.
 */
export function replicationRole(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  addresses: Pick<ReplicationAddresses, "replication">,
): ReplicationRoleResources {
  const role = new IamRole(scope, "replication_role", {
    provider,
    name: replication.role.name,
    path: replication.role.path,
    permissionsBoundary: replication.role.permissionsBoundary,
    description: `S3 replication from ${replication.source.bucket} (${replication.id})`,
    assumeRolePolicy: toJson(trustPolicy(replication)),
  });
  role.overrideLogicalId(addresses.replication);
  const policy = inlinePolicy(
    scope,
    replication,
    provider,
    role,
    "replication",
    addresses.replication,
    ROLE_POLICY_NAME,
    rolePolicy(replication),
  );
  return { role, policy };
}

/**
 * The role's KMS permissions, when rules replicate SSE-KMS objects: a separate inline policy,
 * because a replica key the stack creates has an ARN known only after apply, and that must not
 * hide the main policy in the first plan.
 */
export function replicationKmsPolicy(
  scope: Construct,
  replication: Replication,
  provider: AwsProvider,
  role: IamRole,
  replicaKeyArn: (destination: DestinationBucket) => string,
  addresses: Pick<ReplicationAddresses, "kmsPolicy">,
): IamRolePolicy | undefined {
  const document = roleKmsPolicy(replication, replicaKeyArn);
  if (!document) return undefined;
  return inlinePolicy(
    scope,
    replication,
    provider,
    role,
    "replication_kms",
    addresses.kmsPolicy,
    ROLE_KMS_POLICY_NAME,
    document,
  );
}
