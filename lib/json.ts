/** Parsed JSON read defensively, field by field (Terraform JSON, plans, live policies). */
// biome-ignore lint/suspicious/noExplicitAny: untyped input, checked where it is read
export type Json = Record<string, any>;

/** A policy field that may be one value or a list, as a list. */
export function asList<T = string>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A policy document's statements (IAM allows a single statement object). */
export function statementsOf(policy: Json): Json[] {
  return asList<Json>(policy.Statement);
}
