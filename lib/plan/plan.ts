/**
 * The whole of `npm run plan`, behind one call: synthesize, pick the stacks in deployment order,
 * check each stack's existing buckets, plan it with Terraform, check what the plan creates and
 * rewrites, save the plan with its record, and put the reviewer's summary together (with the
 * topology diagram) and the hashes the apply job checks. The command file only prints.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCheckedConfig } from "../checked-model";
import { configFileFromEnv } from "../config/loader";
import type { Model } from "../config/model";
import { visibleLines } from "../escape/visible";
import type { ClientsFor } from "../ops/aws-clients";
import { TOPOLOGY_FILE } from "../topology/mermaid";
import { type AddressGroups, addressGroups } from "./address-groups";
import type { Progress } from "./progress";
import {
  type CommandRunner,
  outcomeMarkdown,
  planStacks,
  type RunOptions,
  readManifest,
  stackDir,
  stacksToPlan,
} from "./run-plan";
import { type PlanHashes, planHashes, SYNTH_FILE } from "./saved-plan";
import { checkPlanned, checkTakeover, stackUnitOf } from "./takeover-check";

/** What every sequence of lib/plan runs with: supplied by the command line, or by tests. */
export interface PlanEnvironment {
  /** The process environment: the config file's location, credentials, endpoints. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the stacks are synthesized and the plans saved. */
  readonly outdir: string;
  /** Synthesizes the config into a directory; false when it could not (the problems are said). */
  readonly synth: (outdir: string) => boolean;
  /** Terraform. */
  readonly run: CommandRunner;
  /** AWS clients for the existing-bucket check, made when first needed, for the accounts of `model`. */
  readonly clients: (model: Model) => Promise<ClientsFor>;
  /** Where Terraform's steps go (stderr), when they are not drawn as a progress bar. */
  readonly log: (line: string) => void;
  readonly progress: (verb: string, total: number) => Progress;
  readonly concurrency: number;
}

export interface PlanRequest {
  /** The stacks named; none: every replication stack. */
  readonly stacks: readonly string[];
  /** `--replace-existing`: removing what existing buckets have is intended, for this run. */
  readonly replaceExisting: boolean;
  /** `--redact-summary`: live bucket-policy statements as a count and their Sids only. */
  readonly redact: boolean;
}

export interface PlanResult {
  /** 0 every stack planned; 1 a stack failed or was refused; 2 the config did not synthesize. */
  readonly code: number;
  /** The summary, for stdout and the job summary. */
  readonly markdown: string;
  /** The hashes of each saved plan, for the apply job. */
  readonly hashes: Readonly<Record<string, PlanHashes>>;
  /** What the person is told on stderr. */
  readonly messages: readonly string[];
}

/** How the stacks of a run are run: the environment's Terraform, log, concurrency and a progress line. */
export function runOptionsOf(
  environment: PlanEnvironment,
  verb: string,
  what: Pick<RunOptions, "stacks" | "manifest">,
): RunOptions & { progress: Progress } {
  return {
    ...what,
    outdir: environment.outdir,
    run: environment.run,
    log: environment.log,
    concurrency: environment.concurrency,
    progress: environment.progress(verb, what.stacks.length),
  };
}

export function loadModel(env: NodeJS.ProcessEnv): Model {
  return loadCheckedConfig(configFileFromEnv(env), env);
}

/** How a stack's summary groups its addresses by bucket: for a grouped stack, from its synthesized JSON. */
export function summaryGroups(model: Model, outdir: string): (stack: string) => AddressGroups | undefined {
  return (stack) => {
    const unit = stackUnitOf(model, stack);
    if (!unit?.grouped) return undefined;
    return addressGroups(unit, JSON.parse(readFileSync(join(stackDir(outdir)(stack), SYNTH_FILE), "utf8")));
  };
}

export async function plan(request: PlanRequest, environment: PlanEnvironment): Promise<PlanResult> {
  const { outdir } = environment;
  if (!environment.synth(outdir)) return { code: 2, markdown: "", hashes: {}, messages: [] };
  const model = loadModel(environment.env);
  const manifest = readManifest(outdir);
  const stacks = stacksToPlan(manifest, request.stacks);
  const clients = await environment.clients(model);
  const options = runOptionsOf(environment, "plan", { stacks, manifest });
  const outcomes = await planStacks({
    ...options,
    redact: request.redact,
    unit: (stack) => stackUnitOf(model, stack),
    groups: summaryGroups(model, outdir),
    takeover: (stack) => checkTakeover(model, stack, clients, request.replaceExisting),
    planned: (takeover, shown) => checkPlanned(model, takeover, shown, clients, request.replaceExisting),
  }).finally(options.progress.stop);
  const topology = readFileSync(join(outdir, TOPOLOGY_FILE), "utf8").replace(/^# Replication topology\n/, "");
  const sections = stacks.map((stack) => {
    const outcome = outcomes.get(stack);
    return outcome?.status === "done" ? outcome.value.record.summary : outcomeMarkdown(stack, outcome);
  });
  const markdown = [
    "## Replication plan",
    "",
    ...sections,
    "<details><summary>What replicates where</summary>",
    topology,
    "</details>",
    "",
  ].join("\n");
  const planned = stacks.filter((s) => outcomes.get(s)?.status === "done");
  const failed = stacks.filter((s) => !planned.includes(s));
  const messages: string[] = [];
  for (const stack of failed) {
    const outcome = outcomes.get(stack);
    if (outcome?.status === "failed") messages.push(visibleLines(outcome.error.message));
  }
  messages.push(
    failed.length === 0
      ? `plan: saved ${planned.length} plan(s): review the summary, then \`npm run apply\``
      : `plan: saved ${planned.length} plan(s); ${failed.length} stack(s) not planned: ${failed.join(", ")}`,
  );
  const hashes = Object.fromEntries(planned.map((stack) => [stack, planHashes(stackDir(outdir)(stack))]));
  return { code: failed.length === 0 ? 0 : 1, markdown, hashes, messages };
}
