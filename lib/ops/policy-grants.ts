/**
 * Reads a live resource policy (bucket or key policy) the way a person would: does it allow this
 * principal this action on this resource, and does a statement deny it? Conditions are not
 * evaluated: an allow with conditions counts as an allow and is reported as conditional.
 */
import { iamWildcard } from "../iam-wildcard";
import { asList, type Json } from "../json";

export type Grant = "allowed" | "allowed-with-conditions" | "denied" | "not-granted";

const list = (value: unknown): string[] => asList(value as string | string[] | undefined).map(String);

function principalMatches(principal: unknown, arn: string): boolean {
  if (principal === "*") return true;
  const aws = list((principal as Json | undefined)?.AWS);
  const account = arn.split(":")[4];
  return aws.some(
    (p) => p === "*" || p === arn || p === account || p === `arn:${arn.split(":")[1]}:iam::${account}:root`,
  );
}

function matches(statement: Json, principalArn: string, action: string, resource: string): boolean {
  const actionOk = statement.NotAction
    ? !list(statement.NotAction).some((a) => iamWildcard(a, action, { caseInsensitive: true }))
    : list(statement.Action).some((a) => iamWildcard(a, action, { caseInsensitive: true }));
  const resourceOk = statement.NotResource
    ? !list(statement.NotResource).some((r) => iamWildcard(r, resource))
    : list(statement.Resource).some((r) => iamWildcard(r, resource));
  return actionOk && resourceOk && principalMatches(statement.Principal, principalArn);
}

export function grantOf(policy: Json, principalArn: string, action: string, resource: string): Grant {
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as Json[];
  const applicable = statements.filter((s) => s && matches(s, principalArn, action, resource));
  if (applicable.some((s) => s.Effect === "Deny" && !s.Condition)) return "denied";
  const allows = applicable.filter((s) => s.Effect === "Allow");
  if (allows.some((s) => !s.Condition)) return "allowed";
  return allows.length > 0 ? "allowed-with-conditions" : "not-granted";
}
