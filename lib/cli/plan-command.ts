/**
 * `npm run plan [-- <stack>...]`: synthesizes, checks what each stack would take from existing
 * buckets, plans each stack with Terraform (concurrently where independent), saves the plans and
 * prints a reviewer's summary (also appended to $GITHUB_STEP_SUMMARY in GitHub Actions).
 * `npm run apply` (--apply) applies those saved plans, only if the config still synthesizes to the
 * same JSON, every prerequisite stack is applied, and a person said yes (or --auto-approve).
 * `npm run stacks` (--list) lists the stacks for a CI matrix; `npm run adopt` (--adopt) copies
 * existing bucket policy statements into the config.
 * Exit 0 done; 1 a stack failed or was refused; 2 bad input, or apply refused before anything was written.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv, loadConfig, validateConfig } from "../config/loader";
import type { Model } from "../config/model";
import { awsClients, type ClientsFor } from "../ops/aws-clients";
import { EndpointError } from "../ops/endpoints";
import { announceTerraformEndpoints } from "../ops/terraform-endpoints";
import { adoptStatements } from "../plan/adopt";
import { pluginCacheDir } from "../plan/plugin-cache";
import { unmetPrerequisites } from "../plan/prerequisites";
import { type Progress, stackProgress } from "../plan/progress";
import { applyStacks } from "../plan/run-apply";
import {
  type CommandRunner,
  outcomeMarkdown,
  PlanError,
  planStacks,
  type RunOptions,
  readManifest,
  stackDir,
  stacksToPlan,
} from "../plan/run-plan";
import { checkSavedPlan, type PlanRecord, SYNTH_FILE } from "../plan/saved-plan";
import { shardStacks } from "../plan/shards";
import { removalsOf, type Takeover } from "../plan/takeover";
import { checkTakeover } from "../plan/takeover-check";
import { answerStandardFlags } from "./conventions";
import { runSynth, TOPOLOGY_FILE } from "./synth";

export interface PlanIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Terraform; tests pass a fake. */
  readonly run?: CommandRunner;
  /** AWS clients for the takeover and prerequisite checks; tests pass mocked ones. */
  readonly clients?: ClientsFor;
  /** A person is at a terminal: progress bar, and apply may ask. */
  readonly isTTY?: boolean;
  /** Asks the person a question and returns the answer. */
  readonly ask?: (question: string) => Promise<string>;
}

const USAGE = [
  "usage: npm run plan [-- <stack>...] [--concurrency N] [--replace-existing] [--summary-file <file>]",
  "       npm run apply [-- <stack>...] [--concurrency N] [--auto-approve]",
  "       npm run stacks [-- --json] [--shards N]",
  "       npm run adopt [-- <stack>...]",
].join("\n");

export const PLAN_USAGE = `${USAGE}

plan: synthesizes, checks what each stack would take from existing buckets, plans each stack (or
those named) with Terraform in deployment order, saves the plans and prints a reviewer's summary
(also to $GITHUB_STEP_SUMMARY). apply: applies those saved plans after checks and approval.
stacks: the stacks plan would plan, in deployment order, one a line (in GitHub Actions also
$GITHUB_OUTPUT stacks=). adopt: copies existing bucket policy statements into the config.
  --json            stacks: print a JSON array
  --shards N        stacks: at most N groups, as a JSON array of space-separated lists
  --version         print the version
Exit codes: 0 done; 1 a stack failed or was refused; 2 bad input or apply refused before writing.`;

export function terraformRunner(env: NodeJS.ProcessEnv): CommandRunner {
  return (command, args, cwd) =>
    new Promise((resolve) => {
      const child = spawn(command, [...args], { cwd, env: { ...env, TF_IN_AUTOMATION: "1" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("error", (error) => resolve({ code: 127, stdout, stderr: `${command}: ${error.message}` }));
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}

/** Terraform's environment: one provider plugin cache for every stack. */
function terraformEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, TF_PLUGIN_CACHE_DIR: pluginCacheDir(env, process.cwd()) };
}

class UsageError extends Error {}

function parsePlanArgs(argv: string[]) {
  const parsed = parseArgs({
    args: argv,
    options: {
      apply: { type: "boolean" },
      list: { type: "boolean" },
      json: { type: "boolean" },
      adopt: { type: "boolean" },
      shards: { type: "string" },
      concurrency: { type: "string" },
      "auto-approve": { type: "boolean" },
      "replace-existing": { type: "boolean" },
      "summary-file": { type: "string" },
    },
    allowPositionals: true,
  });
  const count = (name: "shards" | "concurrency", fallback: number): number => {
    const value = parsed.values[name];
    if (value === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--${name} must be a whole number, 1 or more (got "${value}")`);
    return Number(value);
  };
  return {
    ...parsed,
    shards: count("shards", 0),
    concurrency: count("concurrency", Math.min(4, availableParallelism())),
  };
}

type Parsed = ReturnType<typeof parsePlanArgs>;

/** `npm run stacks`: the stacks to plan in deployment order, or `--shards N` groups of them. */
function listStacks(outdir: string, parsed: Parsed, io: PlanIo): number {
  const stacks = stacksToPlan(readManifest(outdir), []);
  const list = parsed.shards > 0 ? shardStacks(stacks, parsed.shards).map((g) => g.join(" ")) : stacks;
  io.stdout(parsed.values.json || parsed.shards > 0 ? JSON.stringify(list) : list.join("\n"));
  if (io.env.GITHUB_OUTPUT) {
    appendFileSync(io.env.GITHUB_OUTPUT, `${parsed.shards > 0 ? "shards" : "stacks"}=${JSON.stringify(list)}\n`);
  }
  return 0;
}

function loadModel(env: NodeJS.ProcessEnv): Model {
  return loadConfig(configFileFromEnv(env), env);
}

/**
 * The operator's clients: every standard endpoint setting is honoured (lib/ops/endpoints.ts).
 * Terraform reads the same settings, so the endpoints it and the clients will use are checked and
 * announced first.
 */
async function clientsOf(io: PlanIo, model: Model): Promise<ClientsFor> {
  if (io.clients) return io.clients;
  await announceTerraformEndpoints(model, io.env, io.stderr);
  return awsClients({ env: io.env });
}

function publish(markdown: string, parsed: Parsed, io: PlanIo): void {
  io.stdout(markdown);
  const summaryFile = parsed.values["summary-file"] ?? io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) appendFileSync(summaryFile, `${markdown}\n`);
}

/**
 * How stacks run: Terraform with the shared plugin cache, the concurrency bound, and a progress
 * line (a bar on a terminal, where Terraform's step lines would only break it).
 */
function runOptions(
  verb: string,
  what: Pick<RunOptions, "outdir" | "stacks" | "manifest">,
  parsed: Parsed,
  io: PlanIo,
): RunOptions & { progress: Progress } {
  return {
    ...what,
    run: io.run ?? terraformRunner(terraformEnv(io.env)),
    log: io.isTTY ? () => {} : io.stderr,
    concurrency: parsed.concurrency,
    progress: stackProgress(verb, what.stacks.length, { isTTY: io.isTTY ?? false, log: io.stderr }),
  };
}

async function plan(outdir: string, parsed: Parsed, io: PlanIo): Promise<number> {
  const model = loadModel(io.env);
  const manifest = readManifest(outdir);
  const stacks = stacksToPlan(manifest, parsed.positionals);
  const clients = await clientsOf(io, model);
  const replaceExisting = parsed.values["replace-existing"] ?? false;
  const options = runOptions("plan", { outdir, stacks, manifest }, parsed, io);
  const outcomes = await planStacks({
    ...options,
    takeover: (stack) => checkTakeover(model, stack, clients, replaceExisting),
  }).finally(options.progress.stop);
  const topology = readFileSync(join(outdir, TOPOLOGY_FILE), "utf8").replace(/^# Replication topology\n/, "");
  const sections = stacks.map((stack) => {
    const outcome = outcomes.get(stack);
    return outcome?.status === "done" ? outcome.value.record.summary : outcomeMarkdown(stack, outcome);
  });
  publish(
    [
      "## Replication plan",
      "",
      ...sections,
      "<details><summary>What replicates where</summary>",
      topology,
      "</details>",
      "",
    ].join("\n"),
    parsed,
    io,
  );
  const planned = stacks.filter((s) => outcomes.get(s)?.status === "done");
  const failed = stacks.filter((s) => !planned.includes(s));
  for (const stack of failed) {
    const outcome = outcomes.get(stack);
    if (outcome?.status === "failed") io.stderr(outcome.error.message);
  }
  io.stderr(
    failed.length === 0
      ? `plan: saved ${planned.length} plan(s): review the summary, then \`npm run apply\``
      : `plan: saved ${planned.length} plan(s); ${failed.length} stack(s) not planned: ${failed.join(", ")}`,
  );
  return failed.length === 0 ? 0 : 1;
}

/**
 * The existing buckets are read again: an apply must not remove anything from them that the
 * reviewed summary did not list (a statement or rule added since the plan).
 */
async function unreviewedRemovals(
  model: Model,
  checked: ReadonlyArray<PlanRecord | string>,
  clients: ClientsFor,
): Promise<string[]> {
  const problems: string[] = [];
  for (const record of checked) {
    if (typeof record === "string") continue;
    const now = await checkTakeover(model, record.stack, clients, true);
    const unseen = now ? removalsOf(now).filter((r) => !(record.removals ?? []).includes(r.key)) : [];
    if (unseen.length > 0) {
      problems.push(
        `${record.stack}: the apply would now also remove what the reviewed plan did not show (${unseen.map((r) => r.label).join("; ")}): run \`npm run plan\` again and review it`,
      );
    }
  }
  return problems;
}

async function approved(stacks: readonly string[], parsed: Parsed, io: PlanIo): Promise<string | undefined> {
  if (parsed.values["auto-approve"]) return undefined;
  if (!io.isTTY || !io.ask) {
    return "apply: nothing applied: there is no terminal to ask for approval; pass --auto-approve to apply the reviewed plans without asking";
  }
  const answer = await io.ask(`Apply the saved plans of ${stacks.length} stack(s) shown above? Only "yes" applies: `);
  return answer.trim() === "yes" ? undefined : "apply: nothing applied: the plans were not approved";
}

async function apply(outdir: string, parsed: Parsed, io: PlanIo): Promise<number> {
  // A fresh synth beside, not over, the saved plans: it is compared with what was planned.
  const fresh = join(mkdtempSync(join(tmpdir(), "replication-apply-")), "cdktf.out");
  try {
    const quiet: string[] = [];
    const synth = runSynth({
      env: { ...io.env, CDKTF_OUTDIR: fresh },
      stdout: (l) => quiet.push(l),
      stderr: io.stderr,
    });
    if (synth !== 0) return 2;
    const model = loadModel(io.env);
    const manifest = readManifest(fresh);
    const stacks = stacksToPlan(manifest, parsed.positionals);
    const checked = stacks.map((stack) =>
      checkSavedPlan(stackDir(outdir)(stack), stack, join(stackDir(fresh)(stack), SYNTH_FILE)),
    );
    const problems = checked.filter((c): c is string => typeof c === "string");
    const clients = await clientsOf(io, model);
    problems.push(...(await unmetPrerequisites(model, stacks, clients)));
    problems.push(...(await unreviewedRemovals(model, checked, clients)));
    if (problems.length > 0) {
      io.stderr(["apply: nothing applied:", ...problems.map((p) => `  ${p}`)].join("\n"));
      return 2;
    }
    const records = checked as PlanRecord[];
    io.stdout(["## Replication plan to apply", "", ...records.map((r) => r.summary)].join("\n"));
    const refusal = await approved(stacks, parsed, io);
    if (refusal) {
      io.stderr(refusal);
      return 2;
    }
    const options = runOptions("apply", { outdir, stacks, manifest }, parsed, io);
    const outcomes = await applyStacks(options).finally(options.progress.stop);
    const applied = stacks.filter((s) => outcomes.get(s)?.status === "done");
    const lines = ["## Replication apply", ""];
    for (const stack of stacks) {
      const outcome = outcomes.get(stack);
      lines.push(outcome?.status === "done" ? `### ${stack}: applied\n` : outcomeMarkdown(stack, outcome));
      if (outcome?.status === "failed") io.stderr(outcome.error.message);
    }
    publish(lines.join("\n"), parsed, io);
    return applied.length === stacks.length ? 0 : 1;
  } finally {
    rmSync(join(fresh, ".."), { recursive: true, force: true });
  }
}

/** `npm run adopt`: existing bucket policy statements the apply would remove go into the config. */
async function adopt(parsed: Parsed, io: PlanIo): Promise<number> {
  const file = configFileFromEnv(io.env);
  const model = loadModel(io.env);
  const names = [...model.sharedDestinations, ...model.replications].map((r) => r.stackName);
  const unknown = parsed.positionals.filter((s) => !names.includes(s));
  if (unknown.length > 0) throw new PlanError(`no stack ${unknown.join(", ")}: use one of ${names.join(", ")}`);
  const wanted = parsed.positionals.length > 0 ? parsed.positionals : names;
  const clients = await clientsOf(io, model);
  const takeovers: Takeover[] = [];
  for (const stack of wanted) {
    const takeover = await checkTakeover(model, stack, clients, false);
    if (takeover) takeovers.push(takeover);
  }
  const raw = JSON.parse(readFileSync(file, "utf8"));
  const adoption = adoptStatements(raw, takeovers);
  for (const line of adoption.skipped) io.stderr(`adopt: not adopted: ${line}`);
  if (adoption.adopted.length > 0) {
    validateConfig(adoption.config, file, io.env);
    writeFileSync(file, `${JSON.stringify(adoption.config, null, 2)}\n`);
  }
  for (const a of adoption.adopted) {
    io.stdout(`${file}: kept ${a.sid ? `Sid ${a.sid}` : "a statement without Sid"} of ${a.bucket}'s bucket policy`);
  }
  const rules = takeovers.flatMap((takeover) => takeover.removedRules);
  for (const r of rules) {
    io.stderr(
      `adopt: replication rule ${r.id} of ${r.bucket} is not in the config: add it to the rules by hand, or set replaceExistingRules`,
    );
  }
  if (adoption.adopted.length === 0) io.stdout("adopt: no bucket policy statement to keep");
  return adoption.skipped.length > 0 || rules.length > 0 ? 1 : 0;
}

export async function runPlanCommand(argv: string[], io: PlanIo): Promise<number> {
  const answered = answerStandardFlags(argv, io, PLAN_USAGE);
  if (answered !== undefined) return answered;
  let parsed: Parsed;
  try {
    parsed = parsePlanArgs(argv);
  } catch (error) {
    io.stderr(`plan: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const outdir = io.env.CDKTF_OUTDIR || "cdktf.out";
  try {
    if (parsed.values.adopt) return await adopt(parsed, io);
    if (parsed.values.apply) return await apply(outdir, parsed, io);
    if (runSynth({ env: io.env, stdout: io.stderr, stderr: io.stderr, quiet: true }) !== 0) return 2;
    if (parsed.values.list) return listStacks(outdir, parsed, io);
    return await plan(outdir, parsed, io);
  } catch (error) {
    if (error instanceof PlanError || error instanceof ConfigError || error instanceof EndpointError) {
      io.stderr(error.message);
      return 2;
    }
    throw error;
  }
}

/** The process's own io: a terminal when stdin and stderr are one. */
export function processIo(): PlanIo {
  const isTTY = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return {
    env: process.env,
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
    isTTY,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
