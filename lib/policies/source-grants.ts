import { accountRootArn } from "../arn";
import type { OrganizationGrant, Replication } from "../config/model";
import { oneOrMany, type Statement } from "./policy-document";

/** The principal and condition of a grant in a policy that several sources share. */
export type Grantee = Required<Pick<Statement, "Principal" | "Condition">>;

export const PRINCIPAL_ARN = "aws:PrincipalArn";
export const PRINCIPAL_ORG_ID = "aws:PrincipalOrgID";

/**
 * The source accounts, narrowed to their replication roles by aws:PrincipalArn. Naming the account
 * rather than the role keeps the policy valid before a role exists (S3 and KMS refuse a policy whose
 * principal does not exist) and keeps it working when a role is recreated: a role principal is
 * stored as the role's unique id, aws:PrincipalArn is compared as text. For a request made with a
 * role session, aws:PrincipalArn is the role's ARN, not the assumed-role session's.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
export function sourceRoles(sources: readonly Replication[]): Grantee {
  const accounts = [...new Set(sources.map((r) => accountRootArn(r.source.partition, r.source.account.accountId)))];
  const roles = [...new Set(sources.map((r) => r.role.arn))];
  return {
    Principal: { AWS: oneOrMany(accounts) },
    Condition: { ArnEquals: { [PRINCIPAL_ARN]: oneOrMany(roles) } },
  };
}

/**
 * Any principal of the organization whose ARN matches the project's role naming. Principal "*"
 * is narrowed by aws:PrincipalOrgID under StringEquals (what policy scanners ask for), and by
 * aws:PrincipalArn under StringLike.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
export function organizationRoles(organization: OrganizationGrant): Grantee {
  return {
    Principal: { AWS: "*" },
    Condition: {
      StringEquals: { [PRINCIPAL_ORG_ID]: organization.id },
      StringLike: { [PRINCIPAL_ARN]: organization.principalArnPattern },
    },
  };
}
