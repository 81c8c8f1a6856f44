/**
 * `terraform init` and `terraform plan -out` per stack, with each stack's own backend, then
 * `terraform show -json` for the summary, which is saved beside the plan with the hashes `npm run
 * apply` checks. Independent stacks run concurrently (bounded); a stack never starts before the
 * stacks it depends on (cdktf's manifest), so a stack that manages another's bucket comes first.
 * Before Terraform runs, the takeover check reads what the stack's existing buckets have and
 * refuses a stack whose apply would silently remove it; after the plan, it refuses one whose apply
 * would rewrite a live rule or take over a bucket it means to create. A refused stack keeps no plan.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { STATE_BOOTSTRAP_STACK, type StackUnit } from "../config/model";
import { codeBlock, markdownText } from "../escape/markdown";
import { isJsonObject, type JsonObject, objectAt, stringsAt } from "../json";
import type { AddressGroups } from "./address-groups";
import { onlyGuardReads, type ShownPlan } from "./guard-reads";
import { type PlanSummary, summarizePlan, unchangedSummary } from "./plan-summary";
import { initGate } from "./plugin-cache";
import type { Progress } from "./progress";
import { changesDigest, PLAN_FILE, PLAN_RECORD_FILE, type PlanRecord, writePlanRecord } from "./saved-plan";
import { runStacks, type StackOutcome } from "./stack-scheduler";
import { summaryMarkdown } from "./summary-markdown";
import { removalsOf, type Takeover } from "./takeover";
import { bucketsCreatedBy, createdConfigurations, plannedRulesOf } from "./takeover-check";
import { refusalText, TERMINAL, takeoverMarkdown } from "./takeover-report";

export { PLAN_FILE } from "./saved-plan";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in a directory; the real one spawns terraform, tests pass a fake. */
export type CommandRunner = (command: string, args: readonly string[], cwd: string) => Promise<CommandResult>;

export interface RunOptions {
  readonly outdir: string;
  /** Stacks to run, in deployment order. */
  readonly stacks: readonly string[];
  readonly manifest: JsonObject;
  readonly run: CommandRunner;
  readonly log: (line: string) => void;
  readonly concurrency: number;
  readonly progress?: Progress;
}

export interface PlanOptions extends RunOptions {
  /** The existing-bucket check of a stack, before Terraform runs. */
  readonly takeover: (stack: string) => Promise<Takeover>;
  /** The same check completed with what the plan shows (takeover-check.ts, checkPlanned). */
  readonly planned: (takeover: Takeover, plan: JsonObject) => Promise<Takeover>;
  /** Live bucket-policy statements as a count and Sids only. */
  readonly redact: boolean;
  /** What the stack holds (model.stacks). */
  readonly unit: (stack: string) => StackUnit | undefined;
  /** How the summary of a stack of several buckets groups its resources (address-groups.ts). */
  readonly groups: (stack: string) => AddressGroups | undefined;
}

export class PlanError extends Error {}

/** A stack the takeover check stopped before Terraform ran. */
export class TakeoverRefused extends Error {
  constructor(
    readonly takeover: Takeover,
    readonly redact = false,
  ) {
    super(takeover.refusals.map((r) => refusalText(r, TERMINAL)).join("\n"));
  }
}

export interface StackPlan {
  readonly summary: PlanSummary;
  readonly record: PlanRecord;
}

/** Stack names in an order where every stack comes after the stacks it depends on. */
export function deploymentOrder(manifest: JsonObject, wanted: readonly string[]): string[] {
  const stacks = stacksIn(manifest);
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name))
      throw new PlanError(`stacks depend on each other in a cycle: ${[...path, name].join(" -> ")}`);
    for (const dependency of stringsAt(stacks, name, "dependencies")) visit(dependency, [...path, name]);
    ordered.push(name);
  };
  for (const name of Object.keys(stacks).sort()) visit(name, []);
  return ordered.filter((name) => wanted.includes(name));
}

/** cdktf's manifest of a synthesized output directory. */
export function readManifest(outdir: string): JsonObject {
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) throw new PlanError(`${manifestFile} does not exist: run \`npm run synth\` first`);
  const manifest: unknown = JSON.parse(readFileSync(manifestFile, "utf8"));
  // cdktf writes an object; anything else names no stacks, as a manifest without `stacks` does.
  return isJsonObject(manifest) ? manifest : {};
}

/** The manifest's stacks by name; none where it has no `stacks` object. */
export function stacksIn(manifest: JsonObject): JsonObject {
  return objectAt(manifest, "stacks") ?? {};
}

/**
 * The stacks to plan, in deployment order: the ones named, or every replication stack (the state
 * bootstrap keeps local state, so only when named).
 */
export function stacksToPlan(manifest: JsonObject, named: readonly string[]): string[] {
  const known = Object.keys(stacksIn(manifest));
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new PlanError(`no stack ${unknown.join(", ")}: use one of ${known.join(", ")}`);
  return deploymentOrder(manifest, named.length > 0 ? named : known.filter((s) => s !== STATE_BOOTSTRAP_STACK));
}

export function dependenciesIn(manifest: JsonObject): (stack: string) => string[] {
  return (stack) => stringsAt(stacksIn(manifest), stack, "dependencies");
}

export const stackDir = (outdir: string) => (stack: string) => join(outdir, "stacks", stack);

/**
 * One Terraform step of a stack; an exit code other than `accepted` (0, or 0 and 2 for
 * `plan -detailed-exitcode`) becomes an error carrying Terraform's words.
 */
export function terraformStep(options: RunOptions, stack: string) {
  const cwd = stackDir(options.outdir)(stack);
  return async (args: string[], accepted: readonly number[] = [0]): Promise<CommandResult> => {
    options.log(`${stack}: terraform ${args.join(" ")}`);
    const result = await options.run("terraform", args, cwd);
    if (!accepted.includes(result.code)) {
      const words = [result.stderr.trim(), result.stdout.trim()].filter((t) => t !== "").join("\n");
      throw new PlanError(`${stack}: terraform ${args[0]} failed (exit ${result.code})\n${words}`);
    }
    return result;
  };
}

/** What a stack's task gets: its Terraform steps and its `terraform init`, gated (plugin-cache.ts). */
export interface StackSteps {
  readonly step: (args: string[], accepted?: readonly number[]) => Promise<CommandResult>;
  readonly init: () => Promise<void>;
}

/** Runs `work` for each stack, concurrently where independent, with one init gate for all. */
export function eachStack<T>(
  options: RunOptions,
  skipAfterFailure: boolean,
  work: (stack: string, steps: StackSteps) => Promise<T>,
): Promise<Map<string, StackOutcome<T>>> {
  const gate = initGate(stackDir(options.outdir));
  return runStacks({
    stacks: options.stacks,
    dependenciesOf: dependenciesIn(options.manifest),
    concurrency: options.concurrency,
    skipAfterFailure,
    onChange: options.progress?.update,
    task: (stack) => {
      const step = terraformStep(options, stack);
      const init = () =>
        gate(stack, async () => {
          await step(["init", "-input=false", "-no-color"]);
        });
      return work(stack, { step, init });
    },
  });
}

/** What a stack's plan record says when the plan changes nothing (exit 0, or the guard's reads only). */
function unchangedFacts(stack: string, takeover: Takeover, redact: boolean, plan?: JsonObject) {
  const preface = takeoverMarkdown(takeover, { redact });
  return {
    summary: [`### ${markdownText(stack)}: no changes`, "", ...(preface ? [preface] : [])].join("\n"),
    counts: unchangedSummary(stack).counts,
    removals: [],
    createdBuckets: [],
    changesSha256: plan ? changesDigest(plan) : "",
    noChanges: true,
  };
}

/**
 * Plans do not need their prerequisites applied: a failed stack does not hold back the others.
 * `plan -detailed-exitcode` exits 0 when nothing changes: then `terraform show -json` (a second
 * load of the provider schema, about a third of a stack's time) is skipped and the stack says "no
 * changes". A stack with the existing-policy guard always exits 2 (its check's data source is read
 * again at every apply, hashicorp/terraform#36536): there the shown plan decides (guard-reads.ts).
 * The plan refreshes, although `-refresh=false` would be cheaper for a large root: without the
 * refresh Terraform compares the config with the state of the last apply, not with the buckets
 * as they are, so drift (a suspended versioning, an edited policy or rule) would be neither shown
 * to the reviewer nor corrected by applying the reviewed plan
 * (https://hashicorp.com/blog/new-terraform-planning-options-refresh-false-refresh-only-replace).
 */
export function planStacks(options: PlanOptions): Promise<Map<string, StackOutcome<StackPlan>>> {
  const dirOf = stackDir(options.outdir);
  return eachStack(options, false, async (stack, { step, init }) => {
    // A plan that fails or is refused must not leave an older plan behind for apply to find.
    const forget = () => {
      for (const file of [PLAN_FILE, PLAN_RECORD_FILE]) rmSync(join(dirOf(stack), file), { force: true });
    };
    forget();
    const before = await options.takeover(stack);
    if (before.refusals.length > 0) throw new TakeoverRefused(before, options.redact);
    await init();
    const planned = await step(
      ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`],
      [0, 2],
    );
    if (planned.code === 0) {
      const record = writePlanRecord(dirOf(stack), stack, unchangedFacts(stack, before, options.redact));
      return { summary: unchangedSummary(stack), record };
    }
    const shown = await step(["show", "-json", PLAN_FILE]);
    const plan: unknown = JSON.parse(shown.stdout);
    if (!isJsonObject(plan)) throw new PlanError(`${stack}: terraform show -json printed no JSON object`);
    const takeover = await options.planned(before, plan);
    if (takeover.refusals.length > 0) {
      forget();
      throw new TakeoverRefused(takeover, options.redact);
    }
    // A shown plan (an object, checked above) read as guard-reads.ts reads Terraform's JSON plan format.
    if (onlyGuardReads(plan as ShownPlan)) {
      const record = writePlanRecord(dirOf(stack), stack, unchangedFacts(stack, takeover, options.redact, plan));
      return { summary: unchangedSummary(stack), record };
    }
    const configurations = createdConfigurations(options.unit(stack), plan);
    const summary = summarizePlan(stack, plan, { replicationRules: takeover.sourceRules });
    const markdown = summaryMarkdown(summary, {
      preface: takeoverMarkdown(takeover, { redact: options.redact }),
      redact: options.redact,
      groups: options.groups(stack),
    });
    const record = writePlanRecord(dirOf(stack), stack, {
      summary: markdown,
      counts: summary.counts,
      removals: removalsOf(takeover).map((r) => r.key),
      plannedRules:
        configurations.length > 0
          ? Object.fromEntries(
              configurations.map((c) => [c.replication.source.bucket, plannedRulesOf(c.configuration)]),
            )
          : undefined,
      createdBuckets: bucketsCreatedBy(plan),
      changesSha256: changesDigest(plan),
    });
    return { summary, record };
  });
}

/** The Markdown of a stack that did not produce a plan or was not applied. */
export function outcomeMarkdown(stack: string, outcome: StackOutcome<unknown> | undefined): string {
  if (!outcome || outcome.status === "done") return "";
  const heading = markdownText(stack);
  if (outcome.status === "skipped") return `### ${heading}: skipped\n\n${markdownText(outcome.reason)}.\n`;
  if (outcome.error instanceof TakeoverRefused) {
    const { takeover, redact } = outcome.error;
    return `### ${heading}: refused, not planned\n\n${takeoverMarkdown(takeover, { redact })}`;
  }
  return `### ${heading}: failed\n\n${codeBlock(outcome.error.message)}\n`;
}
