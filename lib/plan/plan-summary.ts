/**
 * A reviewer's summary of one stack's plan, read from `terraform show -json` (Terraform's JSON plan
 * format: format_version, resource_changes[].change.actions): what is added, changed, replaced and
 * destroyed, by address, with every policy that changes shown as a readable diff, and a loud
 * warning for the changes that hurt data or stop replication.
 */
import type { Json } from "../json";
import { policyDiff } from "./policy-diff";

/** "forget": a `removed` block with destroy = false; Terraform stops managing it, AWS keeps it. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "forget";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: PlanAction;
}

export interface PolicyChange {
  readonly address: string;
  readonly attribute: string;
  readonly diff: string;
}

export interface PlanSummary {
  readonly stack: string;
  readonly changes: readonly ResourceChange[];
  readonly policyChanges: readonly PolicyChange[];
  readonly warnings: readonly string[];
  readonly counts: Readonly<Record<PlanAction, number>>;
}

/** Attributes holding IAM policy JSON text. */
const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

/** What destroying or replacing a resource of these types does to data or to replication. */
const DANGER: Record<string, string> = {
  aws_s3_bucket_versioning:
    "versioning on the bucket is suspended (it can never go back to unversioned); replication stops",
  aws_s3_bucket_policy:
    "the bucket's whole policy is removed (on replace: for a moment); replication into it is denied meanwhile",
  aws_s3_bucket: "the bucket is deleted",
  aws_kms_key: "the key is scheduled for deletion: every replica it encrypted becomes unreadable",
  aws_s3_bucket_replication_configuration: "replication of new objects stops",
  aws_iam_role: "the role is recreated: policies naming it must be written again",
};

export function actionOf(actions: readonly string[]): PlanAction | undefined {
  const key = actions.join(",");
  if (key === "create") return "create";
  if (key === "update") return "update";
  if (key === "delete") return "delete";
  if (key === "forget") return "forget";
  if (key === "delete,create" || key === "create,delete") return "replace";
  return undefined;
}

function parsedPolicy(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function summarizePlan(stack: string, plan: Json): PlanSummary {
  if (typeof plan.format_version !== "string") {
    throw new Error(`${stack}: not a Terraform JSON plan (no format_version)`);
  }
  const changes: ResourceChange[] = [];
  const policyChanges: PolicyChange[] = [];
  const warnings: string[] = [];
  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    const action = actionOf(rc.change?.actions ?? []);
    if (!action || rc.mode === "data") continue;
    changes.push({ address: rc.address, type: rc.type, action });
    if ((action === "delete" || action === "replace") && DANGER[rc.type]) {
      warnings.push(`${action === "delete" ? "DESTROY" : "REPLACE"} ${rc.address}: ${DANGER[rc.type]}`);
    }
    for (const attribute of POLICY_ATTRIBUTES) {
      const before = parsedPolicy(rc.change?.before?.[attribute]);
      const after =
        rc.change?.after_unknown?.[attribute] === true
          ? "(known after apply)"
          : parsedPolicy(rc.change?.after?.[attribute]);
      if (JSON.stringify(before) === JSON.stringify(after) || (before === null && after === null)) continue;
      policyChanges.push({ address: rc.address, attribute, diff: policyDiff(before, after) });
    }
  }
  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0 };
  for (const c of changes) counts[c.action]++;
  return { stack, changes, policyChanges, warnings, counts };
}

const VERB: Record<PlanAction, string> = {
  create: "add",
  update: "change",
  replace: "replace",
  delete: "destroy",
  forget: "forget (stays in AWS)",
};

/**
 * The summary as Markdown: readable in a terminal, rendered in a pull request or job summary.
 * `preface` (what the apply takes from existing buckets) comes right under the heading.
 */
export function summaryMarkdown(summary: PlanSummary, preface = ""): string {
  const { counts } = summary;
  const lines = [
    `### ${summary.stack}: ${counts.create} to add, ${counts.update} to change, ${counts.replace} to replace, ${counts.delete} to destroy${counts.forget > 0 ? `, ${counts.forget} to forget` : ""}`,
    "",
  ];
  if (preface !== "") lines.push(preface);
  for (const warning of summary.warnings) lines.push(`> **WARNING: ${warning}**`, ">");
  if (summary.warnings.length > 0) lines.push("");
  if (summary.changes.length === 0) {
    lines.push("No changes.", "");
    return lines.join("\n");
  }
  lines.push("| action | address |", "| --- | --- |");
  for (const c of summary.changes) lines.push(`| ${VERB[c.action]} | \`${c.address}\` |`);
  lines.push("");
  for (const p of summary.policyChanges) {
    lines.push(
      `<details><summary><code>${p.address}</code> ${p.attribute}</summary>`,
      "",
      "```diff",
      p.diff,
      "```",
      "",
      "</details>",
      "",
    );
  }
  return lines.join("\n");
}
