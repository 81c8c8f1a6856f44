/**
 * Parsed JSON read defensively, field by field (Terraform JSON, plans, live policies): a parsed
 * value is `unknown` until a reader narrows it, so a missing or mistyped field is a branch the
 * code takes, never a crash three calls later.
 */

/** A parsed JSON object whose fields are still to be checked where they are read. */
export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A field of an object; own fields only, so a key such as "constructor" reads nothing inherited. */
function fieldOf(value: unknown, key: string): unknown {
  return isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** The object under `key`, when `value` is an object and that field is one. */
export function objectAt(value: unknown, key: string): JsonObject | undefined {
  const field = fieldOf(value, key);
  return isJsonObject(field) ? field : undefined;
}

/** The value at a path of keys through nested objects; undefined where the path leaves them. */
export function valueAt(value: unknown, ...path: readonly string[]): unknown {
  return path.reduce<unknown>((at, key) => fieldOf(at, key), value);
}

/** The string at a path of keys; undefined where the path leaves the objects or ends at anything else. */
export function stringAt(value: unknown, ...path: readonly string[]): string | undefined {
  const found = valueAt(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** The objects of the list at a path of keys; none where there is no list, and what is no object left out. */
export function objectsAt(value: unknown, ...path: readonly string[]): JsonObject[] {
  const found = valueAt(value, ...path);
  return Array.isArray(found) ? found.filter(isJsonObject) : [];
}

/** A policy field at a path of keys (one string or a list of them) as its strings. */
export function stringsAt(value: unknown, ...path: readonly string[]): string[] {
  return asList<unknown>(valueAt(value, ...path)).filter((v): v is string => typeof v === "string");
}

/** A policy field that may be one value or a list, as a list. */
export function asList<T = string>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A policy document's statements (IAM allows a single statement object); anything else in the list is no statement. */
export function statementsOf(policy: unknown): JsonObject[] {
  return asList<unknown>(fieldOf(policy, "Statement")).filter(isJsonObject);
}
