/**
 * IAM policy documents as plain data, and their one serialization. Policies are emitted as
 * literal JSON text so a plan shows them whole; the serialization is deterministic.
 */

export type StringOrList = string | string[];

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, StringOrList>;
  readonly Action: StringOrList;
  readonly Resource?: StringOrList;
  readonly Condition?: Record<string, Record<string, StringOrList>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<Statement | Readonly<Record<string, unknown>>>;
}

export function policyDocument(statements: PolicyDocument["Statement"]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** A single value stays a string, several become a list: the shape AWS itself returns. */
export function oneOrMany(values: readonly string[]): StringOrList {
  return values.length === 1 ? values[0] : [...values];
}

/** Pretty-printed, so a plan diff shows one action per line. */
export function toJson(document: PolicyDocument): string {
  return JSON.stringify(document, null, 2);
}
