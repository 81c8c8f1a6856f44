/**
 * Compares two IAM policy documents as IAM reads them, not as text. Equal, per the IAM JSON
 * policy reference (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html):
 * - a one-element list and its string (Action, Resource, Principal values, condition values);
 * - any order of Action, NotAction, Resource, NotResource, principal and condition value lists,
 *   and of statements (matched by Sid; statements without a Sid by their whole content);
 * - action names and condition key names in any letter case (both are case-insensitive);
 * - `"Principal": "*"` and `"Principal": {"AWS": "*"}`.
 * Everything else must be equal: Version, Sid, Effect, each value, the condition operators.
 */
import { sortedKeysJson } from "../../lib/canonical-json";

type Json = Record<string, unknown>;

const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map(String);
const set = (values: string[]): string[] => [...new Set(values)].sort();

function normalizedPrincipal(principal: unknown): unknown {
  if (principal === "*") return { AWS: ["*"] };
  if (!principal || typeof principal !== "object") return principal;
  return Object.fromEntries(Object.entries(principal as Json).map(([type, v]) => [type, set(list(v))]));
}

function normalizedCondition(condition: unknown): unknown {
  if (!condition || typeof condition !== "object") return condition;
  return Object.fromEntries(
    Object.entries(condition as Json).map(([operator, pairs]) => [
      operator,
      Object.fromEntries(Object.entries(pairs as Json).map(([key, v]) => [key.toLowerCase(), set(list(v))])),
    ]),
  );
}

/** A statement in one spelling per meaning. */
export function normalizedStatement(statement: Json): Json {
  const out: Json = {};
  for (const [field, value] of Object.entries(statement)) {
    if (field === "Action" || field === "NotAction") out[field] = set(list(value).map((a) => a.toLowerCase()));
    else if (field === "Resource" || field === "NotResource") out[field] = set(list(value));
    else if (field === "Principal" || field === "NotPrincipal") out[field] = normalizedPrincipal(value);
    else if (field === "Condition") out[field] = normalizedCondition(value);
    else out[field] = value;
  }
  return out;
}

function statementsOf(document: unknown): Json[] {
  const statement = (document as Json | null)?.Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]).map((s) => normalizedStatement(s as Json));
}

/** What differs in one field of two statements, in words. */
function fieldDifference(field: string, expected: unknown, live: unknown): string {
  if (Array.isArray(expected) && Array.isArray(live)) {
    const missing = expected.filter((v) => !live.includes(v));
    const extra = live.filter((v) => !expected.includes(v));
    return `${field}: ${[missing.length > 0 ? `lacks ${missing.join(", ")}` : "", extra.length > 0 ? `also has ${extra.join(", ")}` : ""].filter(Boolean).join("; ")}`;
  }
  return `${field}: is ${sortedKeysJson(live ?? null)}, expected ${sortedKeysJson(expected ?? null)}`;
}

function statementDifferences(name: string, expected: Json, live: Json): string[] {
  const fields = [...new Set([...Object.keys(expected), ...Object.keys(live)])].sort();
  return fields
    .filter((f) => sortedKeysJson(expected[f] ?? null) !== sortedKeysJson(live[f] ?? null))
    .map((f) => `statement ${name} ${fieldDifference(f, expected[f], live[f])}`);
}

/** Every difference between the expected and the live policy document, as IAM would see it; none when equivalent. */
export function policyDifferences(expected: unknown, live: unknown): string[] {
  if (live === null || live === undefined) return ["missing"];
  const problems: string[] = [];
  const version = (d: unknown) => (d as Json).Version ?? null;
  if (version(expected) !== version(live)) {
    problems.push(`Version: is ${sortedKeysJson(version(live))}, expected ${sortedKeysJson(version(expected))}`);
  }
  const wanted = statementsOf(expected);
  const got = statementsOf(live);
  const bySid = (statements: Json[]) => new Map(statements.filter((s) => s.Sid).map((s) => [String(s.Sid), s]));
  const wantedSids = bySid(wanted);
  const gotSids = bySid(got);
  for (const [sid, statement] of wantedSids) {
    const found = gotSids.get(sid);
    if (!found) problems.push(`statement ${sid}: missing`);
    else problems.push(...statementDifferences(sid, statement, found));
  }
  for (const sid of gotSids.keys()) if (!wantedSids.has(sid)) problems.push(`statement ${sid}: not expected`);
  const unnamed = (statements: Json[]) => statements.filter((s) => !s.Sid).map((s) => sortedKeysJson(s));
  const gotUnnamed = unnamed(got);
  for (const s of unnamed(wanted)) {
    const at = gotUnnamed.indexOf(s);
    if (at < 0) problems.push(`statement without Sid missing: ${s}`);
    else gotUnnamed.splice(at, 1);
  }
  for (const s of gotUnnamed) problems.push(`statement without Sid not expected: ${s}`);
  const others = (d: unknown) =>
    Object.fromEntries(Object.entries(d as Json).filter(([k]) => k !== "Statement" && k !== "Version"));
  if (sortedKeysJson(others(expected)) !== sortedKeysJson(others(live))) {
    problems.push(`other fields: are ${sortedKeysJson(others(live))}, expected ${sortedKeysJson(others(expected))}`);
  }
  return problems;
}
