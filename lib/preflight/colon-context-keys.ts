/**
 * iam-simulate 0.1.173 keeps only the request context keys it can match against its list of
 * condition keys, and it matches variable keys only in the `prefix/name` form
 * (aws:ResourceTag/Team). KMS's `kms:EncryptionContext:<name>` keys have no slash, so the
 * simulator drops them and every statement conditioned on them fails to match. This module
 * evaluates those conditions itself, with IAM's string-operator semantics, and hands the
 * simulator the policies with each such condition resolved: dropped where it holds, the statement
 * dropped where it cannot. Everything else is still evaluated by the simulator. Policy variables
 * in the expected values (`${aws:PrincipalAccount}`) are replaced from the request context first,
 * as IAM does in string conditions.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import { iamWildcard } from "../iam-wildcard";
import { asList, isJsonObject, type JsonObject, statementsOf } from "../json";

const COLON_KEY = /^kms:encryptioncontext:/i;

/** Whether `operator` holds for the request value; undefined for operators not handled here. */
function holds(operator: string, expected: string[], actual: string | undefined): boolean | undefined {
  const base = operator.replace(/^For(Any|All)Values:/, "");
  const ifExists = base.endsWith("IfExists");
  const name = base.replace(/IfExists$/, "");
  if (actual === undefined) return ifExists ? true : name.startsWith("StringNot");
  switch (name) {
    case "StringEquals":
      return expected.includes(actual);
    case "StringNotEquals":
      return !expected.includes(actual);
    case "StringLike":
      return expected.some((p) => iamWildcard(p, actual));
    case "StringNotLike":
      return !expected.some((p) => iamWildcard(p, actual));
    default:
      return undefined;
  }
}

/** A value with its policy variables (not the `${*}`, `${?}`, `${$}` escapes) replaced from the context. */
function withVariables(value: string, contextValue: (key: string) => string | undefined): string {
  return value.replace(/\$\{([^}*?$][^}]*)\}/g, (variable, key: string) => contextValue(key) ?? variable);
}

/** The statement with its colon-key conditions evaluated: undefined when one of them fails. */
function resolveStatement(
  statement: JsonObject,
  context: Readonly<Record<string, string | string[]>>,
): JsonObject | undefined {
  // A condition block that is no object is left for the simulator to judge.
  if (!isJsonObject(statement.Condition)) return statement;
  const contextValue = (key: string) => {
    const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
    return found ? asList(found[1])[0] : undefined;
  };
  const condition: Record<string, unknown> = {};
  for (const [operator, entries] of Object.entries(statement.Condition)) {
    if (!isJsonObject(entries)) {
      condition[operator] = entries;
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const [key, expected] of Object.entries(entries)) {
      const values = asList<unknown>(expected).map((v) => withVariables(String(v), contextValue));
      const result = COLON_KEY.test(key) ? holds(operator, values, contextValue(key)) : undefined;
      if (result === false) return undefined;
      if (result === undefined) kept[key] = expected;
    }
    if (Object.keys(kept).length > 0) condition[operator] = kept;
  }
  const { Condition: _dropped, ...rest } = statement;
  return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
}

export function resolveColonContextKeys(
  policy: unknown,
  context: Readonly<Record<string, string | string[]>>,
): JsonObject {
  const statements = statementsOf(policy)
    .map((s) => resolveStatement(s, context))
    .filter((s): s is JsonObject => s !== undefined);
  return { ...(isJsonObject(policy) ? policy : {}), Statement: statements };
}

/** Whether a request carries a context key the simulator would drop. */
export function hasColonContextKeys(context: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(context).some((k) => COLON_KEY.test(k));
}
