/**
 * Reads a live resource policy (bucket or key policy) the way a person would: does it allow this
 * principal this action on this resource, and does a statement deny it? Conditions on
 * aws:PrincipalArn (how a shared destination names its source roles) are evaluated against the
 * role's ARN; other conditions are not: an allow with them counts as an allow, reported as conditional.
 */
import { iamWildcard } from "../iam-wildcard";
import { asList, isJsonObject, type JsonObject, objectAt, statementsOf, valueAt } from "../json";

export type Grant = "allowed" | "allowed-with-conditions" | "denied" | "not-granted";

const list = (value: unknown): string[] => asList(value as string | string[] | undefined).map(String);

function principalMatches(principal: unknown, arn: string): boolean {
  if (principal === "*") return true;
  const aws = list(valueAt(principal, "AWS"));
  const account = arn.split(":")[4];
  return aws.some(
    (p) => p === "*" || p === arn || p === account || p === `arn:${arn.split(":")[1]}:iam::${account}:root`,
  );
}

const PRINCIPAL_ARN_OPERATORS: Readonly<Record<string, boolean>> = {
  ArnEquals: false,
  StringEquals: false,
  ArnLike: true,
  StringLike: true,
};

/** The statement's conditions other than the aws:PrincipalArn ones, or false if those fail. */
function otherConditions(statement: JsonObject, principalArn: string): Record<string, JsonObject> | false {
  const others: Record<string, JsonObject> = {};
  for (const [operator, keys] of Object.entries(objectAt(statement, "Condition") ?? {})) {
    for (const [key, value] of Object.entries(isJsonObject(keys) ? keys : {})) {
      const wildcard = PRINCIPAL_ARN_OPERATORS[operator];
      if (key.toLowerCase() === "aws:principalarn" && wildcard !== undefined) {
        const ok = list(value).some((v) => (wildcard ? iamWildcard(v, principalArn) : v === principalArn));
        if (!ok) return false;
      } else {
        others[operator] = { ...(others[operator] ?? {}), [key]: value };
      }
    }
  }
  return others;
}

/**
 * A resource pattern with the aws:PrincipalAccount policy variable replaced by the principal's
 * account, as IAM does per request (organization mode writes each account's part of a bucket so).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
function withPrincipalAccount(pattern: string, principalArn: string): string {
  return pattern.replace(/\$\{aws:PrincipalAccount\}/gi, principalArn.split(":")[4] ?? "");
}

function matches(statement: JsonObject, principalArn: string, action: string, resource: string): boolean {
  const actionOk = statement.NotAction
    ? !list(statement.NotAction).some((a) => iamWildcard(a, action, { caseInsensitive: true }))
    : list(statement.Action).some((a) => iamWildcard(a, action, { caseInsensitive: true }));
  const resourceMatches = (r: string) => iamWildcard(withPrincipalAccount(r, principalArn), resource);
  const resourceOk = statement.NotResource
    ? !list(statement.NotResource).some(resourceMatches)
    : list(statement.Resource).some(resourceMatches);
  return actionOk && resourceOk && principalMatches(statement.Principal, principalArn);
}

export function grantOf(policy: JsonObject, principalArn: string, action: string, resource: string): Grant {
  const applicable = statementsOf(policy).flatMap((s) => {
    if (!matches(s, principalArn, action, resource)) return [];
    const others = otherConditions(s, principalArn);
    return others === false ? [] : [{ effect: s.Effect, conditional: Object.keys(others).length > 0 }];
  });
  if (applicable.some((s) => s.effect === "Deny" && !s.conditional)) return "denied";
  const allows = applicable.filter((s) => s.effect === "Allow");
  if (allows.some((s) => !s.conditional)) return "allowed";
  return allows.length > 0 ? "allowed-with-conditions" : "not-granted";
}
