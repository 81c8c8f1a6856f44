import type { RuleConfig } from "./schema";

/** Replication Time Control turns metrics on; otherwise metrics are off unless asked for. */
export function ruleHasMetrics(rule: Pick<RuleConfig, "metrics" | "replicationTime">): boolean {
  return rule.metrics ?? rule.replicationTime !== undefined;
}
