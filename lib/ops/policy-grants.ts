/**
 * Reads a live resource policy (bucket or key policy) the way a person would: does it allow this
 * principal this action on this resource, and does a statement deny it? Conditions are not
 * evaluated: an allow with conditions counts as an allow and is reported as conditional.
 */
type Json = Record<string, unknown>;

export type Grant = "allowed" | "allowed-with-conditions" | "denied" | "not-granted";

function list(value: unknown): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
}

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, caseInsensitive ? "i" : "").test(value);
}

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
    ? !list(statement.NotAction).some((a) => wildcard(a, action, true))
    : list(statement.Action).some((a) => wildcard(a, action, true));
  const resourceOk = statement.NotResource
    ? !list(statement.NotResource).some((r) => wildcard(r, resource, false))
    : list(statement.Resource).some((r) => wildcard(r, resource, false));
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
