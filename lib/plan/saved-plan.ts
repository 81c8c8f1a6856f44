/**
 * What `npm run plan` leaves beside each stack's saved plan, so that `npm run apply` applies only
 * that plan: the SHA-256 of the synthesized JSON it was planned from, of the plan file itself, and
 * the summary the reviewer saw.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanSummary } from "./plan-summary";

export const PLAN_FILE = "replication.tfplan";
export const PLAN_RECORD_FILE = "replication.tfplan.json";
export const SYNTH_FILE = "cdk.tf.json";

export interface PlanRecord {
  readonly stack: string;
  readonly synthSha256: string;
  readonly planSha256: string;
  /** The summary in Markdown, as `npm run plan` printed it. */
  readonly summary: string;
  readonly counts: PlanSummary["counts"];
  /** What the reviewed plan said the apply removes from existing buckets (takeover.ts keys). */
  readonly removals: readonly string[];
}

export function sha256Of(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export function writePlanRecord(
  stackDir: string,
  stack: string,
  summary: PlanSummary,
  markdown: string,
  removals: readonly string[],
): PlanRecord {
  const record: PlanRecord = {
    stack,
    synthSha256: sha256Of(join(stackDir, SYNTH_FILE)),
    planSha256: sha256Of(join(stackDir, PLAN_FILE)),
    summary: markdown,
    counts: summary.counts,
    removals,
  };
  writeFileSync(join(stackDir, PLAN_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/**
 * The saved plan of a stack, checked: it exists, the plan file is the one that was summarized, and
 * the synthesized JSON (`synthesized`, the file a fresh synth wrote) is byte for byte the one it
 * was planned from. Returns the reason it may not be applied, or the record.
 */
export function checkSavedPlan(stackDir: string, stack: string, synthesized: string): PlanRecord | string {
  const recordFile = join(stackDir, PLAN_RECORD_FILE);
  if (!existsSync(recordFile) || !existsSync(join(stackDir, PLAN_FILE))) {
    return `${stack}: no saved plan: run \`npm run plan\` and review it first`;
  }
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as PlanRecord;
  if (sha256Of(join(stackDir, PLAN_FILE)) !== record.planSha256) {
    return `${stack}: ${PLAN_FILE} is not the plan that was summarized: run \`npm run plan\` again`;
  }
  if (!existsSync(synthesized) || sha256Of(synthesized) !== record.synthSha256) {
    return `${stack}: the synthesized JSON changed since the plan: run \`npm run plan\` again and review it`;
  }
  return record;
}
