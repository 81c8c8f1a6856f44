/**
 * The reviewer's summary of one stack's plan as Markdown: readable in a terminal, rendered in a
 * pull request or job summary. Every name and value (addresses, rule ids, prefixes, policies)
 * goes through lib/escape, so nothing a config or a live bucket holds can add a heading, close a
 * code block or hide the rest of the summary.
 */

import { htmlText } from "../escape/html";
import { cellCode, codeBlock, inlineCode, markdownText } from "../escape/markdown";
import { type Json, statementsOf } from "../json";
import type { AddressGroups } from "./address-groups";
import { SENSITIVE } from "./attribute-changes";
import type { PlanAction, PlanSummary, PolicyChange, ResourceChange, Warning } from "./plan-summary";
import { type FieldChange, NONE, RULE_FIELDS, type RuleChange, UNKNOWN } from "./replication-rules";

export interface SummaryOptions {
  /** What the apply takes from existing buckets (takeover-report.ts), right under the heading. */
  readonly preface?: string;
  /**
   * Public repositories: show live bucket-policy statements only as a count and their Sids
   * (REPLICATION_REDACT_SUMMARY=1 or --redact-summary).
   */
  readonly redact?: boolean;
  /**
   * A grouped stack's parts (address-groups.ts): the changes are listed bucket by bucket, after an
   * overview table with one row per bucket that changes.
   */
  readonly groups?: AddressGroups;
}

const VERB: Record<PlanAction, string> = {
  create: "add",
  update: "change",
  replace: "replace",
  delete: "destroy",
  forget: "forget (stays in AWS)",
};

/** Markers the summary writes itself are plain words; every other value is code. */
const MARKERS = new Set([NONE, UNKNOWN, SENSITIVE, "(the source object's)"]);

export function valueText(value: string): string {
  if (value === "") return NONE;
  return MARKERS.has(value) ? value : inlineCode(value);
}

function fieldLine(label: string, before: string, after: string, kind: "set" | "change"): string {
  return kind === "set" ? `${label}: ${valueText(after)}` : `${label}: ${valueText(before)} → ${valueText(after)}`;
}

function ruleLines(rule: RuleChange): string[] {
  const id = inlineCode(rule.id);
  const heading = {
    add: `rule ${id} is added:`,
    remove: `rule ${id} is removed; it had:`,
    change: `rule ${id} changes:`,
  }[rule.kind];
  const fields = rule.fields.map((f: FieldChange) =>
    rule.kind === "change"
      ? fieldLine(RULE_FIELDS[f.field], f.before, f.after, "change")
      : fieldLine(RULE_FIELDS[f.field], "", rule.kind === "add" ? f.after : f.before, "set"),
  );
  return [`- ${heading}`, ...fields.map((line) => `  - ${line}`)];
}

function resourceLines(change: ResourceChange): string[] {
  if (change.attributes.length === 0 && change.rules.length === 0) return [];
  const kind = change.action === "create" ? "set" : "change";
  return [
    `**${VERB[change.action]} ${inlineCode(change.address)}**`,
    "",
    ...change.rules.flatMap(ruleLines),
    ...change.attributes.map((a) => `- ${fieldLine(markdownText(a.label), a.before, a.after, kind)}`),
    "",
  ];
}

export function warningText(warning: Warning): string {
  if (warning.kind === "destination") {
    const moves = warning.fields.map((f) => fieldLine(RULE_FIELDS[f.field], f.before, f.after, "change")).join("; ");
    return `rule ${inlineCode(warning.id)} of ${inlineCode(warning.address)} keeps its id but replicates to another destination (${moves}): the data now goes elsewhere`;
  }
  return `${warning.kind === "destroy" ? "DESTROY" : "REPLACE"} ${inlineCode(warning.address)}: ${warning.danger}`;
}

/** Statements of a policy document as a count and their Sids, for a redacted summary. */
export function statementCount(policy: unknown): string {
  if (policy === UNKNOWN) return UNKNOWN;
  if (policy === null || typeof policy !== "object") return "no policy";
  const statements = statementsOf(policy as Json);
  const sids = statements.filter((s) => typeof s.Sid === "string" && s.Sid !== "").map((s) => inlineCode(s.Sid));
  const unnamed = statements.length - sids.length;
  const names = [...sids, ...(unnamed > 0 ? [`${unnamed} without Sid`] : [])].join(", ");
  return `${statements.length} statement(s)${names ? ` (${names})` : ""}`;
}

function policyLines(change: PolicyChange, redact: boolean): string[] {
  const summary = `<details><summary><code>${htmlText(change.address)}</code> ${htmlText(change.attribute)}</summary>`;
  // Only a bucket policy's "before" is live text from the bucket; role and key policies are the config's.
  if (redact && change.type === "aws_s3_bucket_policy") {
    return [
      summary,
      "",
      `Statement text not shown (redacted summary): before ${statementCount(change.before)}; after ${statementCount(change.after)}.`,
      "",
      "</details>",
      "",
    ];
  }
  return [summary, "", codeBlock(change.diff, "diff"), "", "</details>", ""];
}

function countsText(counts: PlanSummary["counts"]): string {
  return `${counts.create} to add, ${counts.update} to change, ${counts.replace} to replace, ${counts.delete} to destroy${counts.forget > 0 ? `, ${counts.forget} to forget` : ""}`;
}

function countsOf(changes: readonly ResourceChange[]): PlanSummary["counts"] {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

/** The table of addresses, each resource's attributes and rules, and the policy diffs. */
function changeLines(changes: readonly ResourceChange[], policies: readonly PolicyChange[], redact: boolean): string[] {
  const lines = ["| action | address |", "| --- | --- |"];
  for (const c of changes) lines.push(`| ${VERB[c.action]} | ${cellCode(c.address)} |`);
  lines.push("");
  for (const change of changes) lines.push(...resourceLines(change));
  for (const p of policies) lines.push(...policyLines(p, redact));
  return lines;
}

/**
 * A grouped stack's changes bucket by bucket: an overview (one row per bucket that changes, the
 * unchanged ones named in one line), then a section per bucket. Addresses of no part (none today)
 * come last, under the stack's name.
 */
function groupedLines(summary: PlanSummary, groups: AddressGroups, redact: boolean): string[] {
  const parts = [
    ...groups.map((g) => ({
      title: `${g.kind} ${inlineCode(g.bucket)}`,
      label: `${g.kind === "replication" ? "" : "shared destination "}${inlineCode(g.bucket)}`,
      has: (address: string) => g.addresses.has(address),
    })),
  ];
  const grouped = new Set(groups.flatMap((g) => [...g.addresses]));
  parts.push({ title: "the stack", label: "the stack", has: (address) => !grouped.has(address) });
  const sections = parts.map((part) => ({
    ...part,
    changes: summary.changes.filter((c) => part.has(c.address)),
    policies: summary.policyChanges.filter((p) => part.has(p.address)),
  }));
  const changed = sections.filter((s) => s.changes.length > 0 || s.policies.length > 0);
  const unchanged = sections.filter((s) => s.title !== "the stack" && !changed.includes(s));
  const lines = [
    "| bucket | add | change | replace | destroy | forget |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of changed) {
    const c = countsOf(s.changes);
    lines.push(`| ${s.label} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c.forget} |`);
  }
  lines.push("");
  if (unchanged.length > 0) lines.push(`No changes for ${unchanged.map((s) => s.label).join(", ")}.`, "");
  for (const s of changed) {
    lines.push(
      `#### ${s.title}: ${countsText(countsOf(s.changes))}`,
      "",
      ...changeLines(s.changes, s.policies, redact),
    );
  }
  return lines;
}

export function summaryMarkdown(summary: PlanSummary, options: SummaryOptions = {}): string {
  const lines = [`### ${markdownText(summary.stack)}: ${countsText(summary.counts)}`, ""];
  if (options.preface) lines.push(options.preface);
  for (const warning of summary.warnings) lines.push(`> **WARNING: ${warningText(warning)}**`, ">");
  if (summary.warnings.length > 0) lines.push("");
  if (summary.changes.length === 0) {
    lines.push("No changes.", "");
    return lines.join("\n");
  }
  const redact = options.redact ?? false;
  lines.push(
    ...(options.groups
      ? groupedLines(summary, options.groups, redact)
      : changeLines(summary.changes, summary.policyChanges, redact)),
  );
  return lines.join("\n");
}
