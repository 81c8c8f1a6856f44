import type { RuleFacts } from "./stack-facts";

/** An object key the rule's filter matches (tags are properties of the object, not of its key). */
export function sampleKey(rule: Pick<RuleFacts, "prefix">): string {
  return `${rule.prefix || "preflight/"}preflight-sample.txt`;
}
