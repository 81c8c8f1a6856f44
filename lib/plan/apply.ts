/**
 * The whole of `npm run apply`, behind one call. Before anything is written: synthesize again
 * beside (not over) the saved plans; check every saved plan against that synth (hashes, the plan
 * file's own configuration and lock file, and the plan job's hashes when given); check that
 * prerequisite stacks are applied; read the existing buckets again, so that nothing the reviewed
 * summary did not list is removed or rewritten and no bucket to be created has appeared. Then a
 * person (or --auto-approve) approves the summaries, and exactly those plans are applied.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model } from "../config/model";
import { markdownText } from "../escape/markdown";
import { visible, visibleLines } from "../escape/visible";
import type { ClientsFor } from "../ops/aws-clients";
import { loadModel, type PlanEnvironment, runOptionsOf } from "./plan";
import { unmetPrerequisites } from "./prerequisites";
import { applyStacks, unreviewedPlans } from "./run-apply";
import { outcomeMarkdown, readManifest, stackDir, stacksToPlan } from "./run-plan";
import { checkSavedPlan, overrideFiles, type PlanHashes, type PlanRecord, SYNTH_FILE } from "./saved-plan";
import { removalsOf, withChangedRules } from "./takeover";
import { checkTakeover, existingCreatedBuckets, stackUnitOf } from "./takeover-check";
import { refusalText, TERMINAL } from "./takeover-report";

export interface ApplyRequest {
  readonly stacks: readonly string[];
  /** The plan job's hashes (REPLICATION_REVIEWED_PLAN_HASHES); every stack applied must be in them. */
  readonly expected?: Readonly<Record<string, PlanHashes>>;
}

export interface ApplyEnvironment extends PlanEnvironment {
  /**
   * Shows the summaries of the plans about to be applied and asks; resolves to the reason when
   * the answer is no.
   */
  readonly approve: (summary: string, stacks: number) => Promise<string | undefined>;
}

export interface ApplyResult {
  /** 0 applied; 1 a stack failed; 2 refused before anything was written. */
  readonly code: number;
  /** What was applied, for stdout and the job summary (empty when nothing was). */
  readonly markdown: string;
  readonly messages: readonly string[];
}

/**
 * The existing buckets are read again: an apply must not remove or rewrite anything on them that
 * the reviewed summary did not list (a statement or rule added or changed since the plan).
 */
async function unreviewedChanges(model: Model, records: readonly PlanRecord[], clients: ClientsFor) {
  const problems: string[] = [];
  for (const record of records) {
    let now = await checkTakeover(model, record.stack, clients, true);
    for (const replication of stackUnitOf(model, record.stack)?.replications ?? []) {
      const planned = record.plannedRules?.[replication.source.bucket];
      if (planned && now.sourceRules?.[replication.source.bucket]) {
        now = withChangedRules(now, replication, planned, { keepAt: [], replaceExisting: true });
      }
    }
    const unseen = removalsOf(now).filter((r) => !(record.removals ?? []).includes(r.key));
    if (unseen.length > 0) {
      problems.push(
        `${record.stack}: the apply would now also remove or rewrite what the reviewed plan did not show (${unseen.map((r) => visible(r.label)).join("; ")}): run \`npm run plan\` again and review it`,
      );
    }
    const exists = await existingCreatedBuckets(model, record.stack, record.createdBuckets ?? [], clients);
    problems.push(...exists.map((r) => refusalText(r, TERMINAL)));
  }
  return problems;
}

function savedPlans(outdir: string, fresh: string, stacks: readonly string[], request: ApplyRequest) {
  return stacks.map((stack) => {
    const expected = request.expected?.[stack];
    if (request.expected && !expected) {
      return [
        `${stack}: the plan job's hashes (REPLICATION_REVIEWED_PLAN_HASHES) name no plan of this stack: nothing is applied`,
      ];
    }
    return checkSavedPlan(stackDir(outdir)(stack), stack, join(stackDir(fresh)(stack), SYNTH_FILE), expected);
  });
}

export async function apply(request: ApplyRequest, environment: ApplyEnvironment): Promise<ApplyResult> {
  const { outdir } = environment;
  const refused = (problems: readonly string[]): ApplyResult => ({
    code: 2,
    markdown: "",
    messages: [["apply: nothing applied:", ...problems.map((p) => `  ${visibleLines(p)}`)].join("\n")],
  });
  // The cleanup removes this directory by name, never a path derived from `fresh`: a changed
  // subdirectory name must not turn it into the system's temporary directory.
  const scratch = mkdtempSync(join(tmpdir(), "replication-apply-"));
  const fresh = join(scratch, "cdktf.out");
  try {
    if (!environment.synth(fresh)) return { code: 2, markdown: "", messages: [] };
    const model = loadModel(environment.env);
    const manifest = readManifest(fresh);
    const stacks = stacksToPlan(manifest, request.stacks);
    const checked = savedPlans(outdir, fresh, stacks, request);
    const problems = checked.filter((c): c is string[] => Array.isArray(c)).flat();
    const records = checked.filter((c): c is PlanRecord => !Array.isArray(c));
    // A plan that changes nothing is not applied: nothing to read again, nothing to run.
    const unchanged = new Set(records.filter((r) => r.noChanges).map((r) => r.stack));
    const changing = records.filter((r) => !unchanged.has(r.stack));
    const toApply = stacks.filter((s) => !unchanged.has(s));
    const clients = await environment.clients(model);
    problems.push(...(await unmetPrerequisites(model, toApply, clients)));
    problems.push(...(await unreviewedChanges(model, changing, clients)));
    if (problems.length > 0) return refused(problems);
    const reading = runOptionsOf(environment, "read saved plan", { stacks: toApply, manifest });
    problems.push(...(await unreviewedPlans(reading, changing).finally(reading.progress.stop)));
    if (problems.length > 0) return refused(problems);
    const overrides = stacks.flatMap((stack) =>
      overrideFiles(stackDir(outdir)(stack)).map(
        (file) => `- ${markdownText(stack)}: planned with ${markdownText(file)}`,
      ),
    );
    const summary = [
      "## Replication plan to apply",
      "",
      ...records.map((r) => r.summary),
      ...(overrides.length > 0
        ? ["Override files beside the synthesized JSON, in the plans:", "", ...overrides, ""]
        : []),
    ].join("\n");
    if (toApply.length === 0) {
      return {
        code: 0,
        markdown: ["## Replication apply", "", ...stacks.map((s) => `### ${markdownText(s)}: no changes\n`)].join("\n"),
        messages: [`apply: no changes in ${stacks.length} stack(s): nothing to apply`],
      };
    }
    const refusal = await environment.approve(summary, toApply.length);
    if (refusal) return { code: 2, markdown: "", messages: [refusal] };
    const options = runOptionsOf(environment, "apply", { stacks: toApply, manifest });
    const outcomes = await applyStacks(options).finally(options.progress.stop);
    const lines = ["## Replication apply", ""];
    const messages: string[] = [];
    for (const stack of stacks) {
      const outcome = outcomes.get(stack);
      if (unchanged.has(stack)) lines.push(`### ${markdownText(stack)}: no changes\n`);
      else if (outcome?.status === "done") lines.push(`### ${markdownText(stack)}: applied\n`);
      else lines.push(outcomeMarkdown(stack, outcome));
      if (outcome?.status === "failed") messages.push(visibleLines(outcome.error.message));
    }
    const applied = toApply.filter((s) => outcomes.get(s)?.status === "done");
    return { code: applied.length === toApply.length ? 0 : 1, markdown: lines.join("\n"), messages };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Reads the plan job's hashes: one JSON object of stack -> hashes, or several (one per plan job) in one. */
export function parseExpectedHashes(text: string): Record<string, PlanHashes> {
  const parsed: unknown = JSON.parse(text);
  const merged: Record<string, PlanHashes> = {};
  const isHashes = (v: unknown): v is PlanHashes =>
    v !== null && typeof v === "object" && ["plan", "lock", "record"].every((k) => typeof (v as never)[k] === "string");
  const take = (value: unknown) => {
    if (value === null || typeof value !== "object") throw new Error("not an object of stacks");
    for (const [key, v] of Object.entries(value)) {
      if (isHashes(v)) merged[key] = v;
      else if (typeof v === "string" && v.trim() !== "") take(JSON.parse(v));
      else if (typeof v !== "string") throw new Error(`${key}: not the hashes of a plan`);
    }
  };
  take(parsed);
  return merged;
}
