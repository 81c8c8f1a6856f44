/**
 * `npm run plan [-- <stack>...]`: synthesizes, then plans each stack with Terraform and prints a
 * reviewer's summary (also appended to $GITHUB_STEP_SUMMARY in GitHub Actions). `--apply` applies
 * the plans just made (the apply workflow). Exit 0 planned, 1 Terraform failed, 2 bad input.
 */
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { summaryMarkdown } from "../plan/plan-summary";
import { type CommandRunner, PlanError, planStacks, readManifest, stacksToPlan } from "../plan/run-plan";
import { answerStandardFlags } from "./conventions";
import { runSynth, TOPOLOGY_FILE } from "./synth";

export const PLAN_USAGE = `usage: npm run plan [-- <stack>...] [--summary-file <file>]
       npm run apply [-- <stack>...]
       npm run stacks [-- --json]

plan: synthesizes, plans each stack (or those named) with Terraform in deployment order and prints
a reviewer's summary (also to $GITHUB_STEP_SUMMARY). apply: applies the plans it just made.
stacks: the stacks plan would plan, in deployment order (in GitHub Actions also $GITHUB_OUTPUT stacks=).
  --summary-file <file>  append the summary to this file too
  --json                 stacks: print a JSON array
  --version              print the version
Exit codes: 0 planned, 1 Terraform failed, 2 bad input.`;

const terraform: CommandRunner = (command, args, cwd) =>
  new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd, env: { ...process.env, TF_IN_AUTOMATION: "1" } });
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

/**
 * `npm run stacks`: the stacks `npm run plan` would plan, in deployment order, one a line or, with
 * --json, as a JSON array; in GitHub Actions also written to $GITHUB_OUTPUT as `stacks=`, for a job matrix.
 */
function listStacks(
  outdir: string,
  json: boolean,
  io: { env: NodeJS.ProcessEnv; stdout: (t: string) => void },
): number {
  const stacks = stacksToPlan(readManifest(outdir), []);
  io.stdout(json ? JSON.stringify(stacks) : stacks.join("\n"));
  if (io.env.GITHUB_OUTPUT) appendFileSync(io.env.GITHUB_OUTPUT, `stacks=${JSON.stringify(stacks)}\n`);
  return 0;
}

function parsePlanArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        apply: { type: "boolean" },
        list: { type: "boolean" },
        json: { type: "boolean" },
        "summary-file": { type: "string" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return error as Error;
  }
}

export async function runPlanCommand(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; stdout: (t: string) => void; stderr: (t: string) => void; run?: CommandRunner },
): Promise<number> {
  const answered = answerStandardFlags(argv, io, PLAN_USAGE);
  if (answered !== undefined) return answered;
  const parsed = parsePlanArgs(argv);
  if (parsed instanceof Error) {
    io.stderr(`plan: ${parsed.message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  if (runSynth({ env: io.env, stdout: io.stderr, stderr: io.stderr, quiet: true }) !== 0) return 2;
  const outdir = io.env.CDKTF_OUTDIR || "cdktf.out";
  if (parsed.values.list) return listStacks(outdir, parsed.values.json ?? false, io);
  try {
    const summaries = await planStacks({
      outdir,
      stacks: parsed.positionals,
      apply: parsed.values.apply ?? false,
      run: io.run ?? terraform,
      log: io.stderr,
    });
    const topology = readFileSync(join(outdir, TOPOLOGY_FILE), "utf8").replace(/^# Replication topology\n/, "");
    const markdown = [
      `## Replication plan${parsed.values.apply ? " (applied)" : ""}`,
      "",
      ...summaries.map(summaryMarkdown),
      "<details><summary>What replicates where</summary>",
      topology,
      "</details>",
      "",
    ].join("\n");
    io.stdout(markdown);
    const summaryFile = parsed.values["summary-file"] ?? io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) appendFileSync(summaryFile, `${markdown}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PlanError) {
      io.stderr(error.message);
      return error.message.includes("failed (exit") ? 1 : 2;
    }
    throw error;
  }
}
