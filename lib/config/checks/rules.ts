import { ruleAddress } from "../../naming";
import type { ConfigIssue } from "../config-error";
import { ruleHasMetrics } from "../rule-defaults";
import type { RuleConfig } from "../schema";
import { type Check, eachRule, issue } from "./check";

/** Reports each value seen before, naming where it was first seen. */
function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string | number,
  report: (item: T, index: number, firstIndex: number) => ConfigIssue,
): ConfigIssue[] {
  const first = new Map<string | number, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, index);
    else issues.push(report(item, index, seen));
  });
  return issues;
}

function filterKey(rule: RuleConfig): string {
  const tags = Object.entries(rule.filter?.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([rule.destination.bucket, rule.filter?.prefix ?? "", tags]);
}

export const checkRuleIdentity: Check = (config) =>
  config.replications.flatMap((r, i) => {
    const at = (j: number, field: string) => ["replications", i, "rules", j, field];
    return [
      ...duplicates(
        r.rules,
        (rule) => rule.id,
        (rule, j, k) =>
          issue(at(j, "id"), `duplicate rule id "${rule.id}" (also in rules[${k}]): give each rule its own id`),
      ),
      // Alarm addresses are made from rule ids: only with monitoring must they stay apart.
      ...r.rules.flatMap((rule, j) => {
        const k = r.rules.findIndex((other) => ruleAddress(other.id) === ruleAddress(rule.id));
        return !r.monitoring || r.rules[k].id === rule.id
          ? []
          : [
              issue(
                at(j, "id"),
                `rule ids "${r.rules[k].id}" and "${rule.id}" give the same Terraform name (${ruleAddress(rule.id)}): make them differ in letters or digits`,
              ),
            ];
      }),
      ...duplicates(
        r.rules,
        (rule) => rule.priority,
        (rule, j, k) =>
          issue(
            at(j, "priority"),
            `duplicate priority ${rule.priority} (also in rules[${k}]): S3 needs a distinct priority per rule`,
          ),
      ),
      ...duplicates(r.rules, filterKey, (_rule, j, k) =>
        issue(
          at(j, "filter"),
          `rules[${k}] has the same filter and destination, so only the higher priority of the two ever applies: merge them or change a filter`,
        ),
      ),
    ];
  });

export const checkDeleteMarkers: Check = (config) =>
  eachRule(config, (rule, path) =>
    rule.deleteMarkerReplication && Object.keys(rule.filter?.tags ?? {}).length > 0
      ? [
          issue(
            [...path, "deleteMarkerReplication"],
            "S3 rejects delete-marker replication in a rule with a tag filter: set deleteMarkerReplication to false, or remove filter.tags",
          ),
        ]
      : [],
  );

export const checkReplicationTime: Check = (config) =>
  eachRule(config, (rule, path) => {
    const issues: ConfigIssue[] = [];
    if (rule.replicationTime && rule.replicationTime.minutes !== 15) {
      issues.push(
        issue(
          [...path, "replicationTime", "minutes"],
          `S3 Replication Time Control only accepts 15 minutes (got ${rule.replicationTime.minutes}): set 15 or remove it`,
        ),
      );
    }
    if (rule.replicationTime && rule.metrics === false) {
      issues.push(
        issue(
          [...path, "metrics"],
          "S3 Replication Time Control needs replication metrics: remove metrics: false, or remove replicationTime",
        ),
      );
    }
    return issues;
  });

export const checkMonitoring: Check = (config) =>
  config.replications.flatMap((r, i) => {
    if (!r.monitoring) return [];
    const path = ["replications", i, "monitoring"];
    const withMetrics = r.rules.some(ruleHasMetrics);
    return [
      ...(withMetrics
        ? []
        : [
            issue(
              path,
              "no rule has replication metrics, so S3 publishes nothing to alarm on: set metrics: true or replicationTime on a rule",
            ),
          ]),
      ...(r.monitoring.snsTopicArn && r.monitoring.email
        ? [
            issue(
              [...path, "email"],
              "an email is subscribed only to a topic the stack creates: subscribe it to your snsTopicArn yourself, or remove snsTopicArn",
            ),
          ]
        : []),
    ];
  });

/** Two-way replication syncs replica metadata only when both directions ask for it. */
export const checkReplicaModifications: Check = (config) =>
  eachRule(config, (rule, path, r) => {
    if (!rule.replicaModifications) return [];
    const back = config.replications.find((other) => other.source.bucket === rule.destination.bucket);
    const syncsBack = back?.rules.some((b) => b.destination.bucket === r.source.bucket && b.replicaModifications);
    return syncsBack
      ? []
      : [
          issue(
            [...path, "replicaModifications"],
            `replica modification sync needs a rule from "${rule.destination.bucket}" back to "${r.source.bucket}" with replicaModifications: true as well: add it, or remove replicaModifications`,
          ),
        ];
  });
