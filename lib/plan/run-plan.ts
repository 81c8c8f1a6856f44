/**
 * `terraform init` and `terraform plan -out` per stack, with each stack's own backend, then
 * `terraform show -json` for the summary; `apply` applies exactly the saved plans. Stacks run in
 * dependency order (cdktf's manifest), so a stack that manages another's bucket comes first.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { STATE_BOOTSTRAP_STACK } from "../config/model";
import type { Json } from "../json";
import { type PlanSummary, summarizePlan } from "./plan-summary";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in a directory; the real one spawns terraform, tests pass a fake. */
export type CommandRunner = (command: string, args: readonly string[], cwd: string) => Promise<CommandResult>;

export interface PlanOptions {
  readonly outdir: string;
  /** Stacks to plan; default: every replication stack (the state bootstrap only when named). */
  readonly stacks: readonly string[];
  readonly apply: boolean;
  readonly run: CommandRunner;
  readonly log: (line: string) => void;
}

export class PlanError extends Error {}

export const PLAN_FILE = "replication.tfplan";

/** Stack names in an order where every stack comes after the stacks it depends on. */
export function deploymentOrder(manifest: Json, wanted: readonly string[]): string[] {
  const stacks = manifest.stacks ?? {};
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name))
      throw new PlanError(`stacks depend on each other in a cycle: ${[...path, name].join(" -> ")}`);
    for (const dependency of stacks[name]?.dependencies ?? []) visit(dependency, [...path, name]);
    ordered.push(name);
  };
  for (const name of Object.keys(stacks).sort()) visit(name, []);
  return ordered.filter((name) => wanted.includes(name));
}

/** cdktf's manifest of a synthesized output directory. */
export function readManifest(outdir: string): Json {
  const manifestFile = join(outdir, "manifest.json");
  if (!existsSync(manifestFile)) throw new PlanError(`${manifestFile} does not exist: run \`npm run synth\` first`);
  return JSON.parse(readFileSync(manifestFile, "utf8"));
}

/**
 * The stacks to plan, in deployment order: the ones named, or every replication stack (the state
 * bootstrap keeps local state, so only when named).
 */
export function stacksToPlan(manifest: Json, named: readonly string[]): string[] {
  const known = Object.keys(manifest.stacks ?? {});
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new PlanError(`no stack ${unknown.join(", ")}: use one of ${known.join(", ")}`);
  return deploymentOrder(manifest, named.length > 0 ? named : known.filter((s) => s !== STATE_BOOTSTRAP_STACK));
}

export async function planStacks(options: PlanOptions): Promise<PlanSummary[]> {
  const summaries: PlanSummary[] = [];
  for (const stack of stacksToPlan(readManifest(options.outdir), options.stacks)) {
    const cwd = join(options.outdir, "stacks", stack);
    const step = async (args: string[]): Promise<CommandResult> => {
      options.log(`${stack}: terraform ${args.join(" ")}`);
      const result = await options.run("terraform", args, cwd);
      if (result.code !== 0) {
        throw new PlanError(
          `${stack}: terraform ${args[0]} failed (exit ${result.code})\n${result.stderr || result.stdout}`,
        );
      }
      return result;
    };
    await step(["init", "-input=false", "-no-color"]);
    await step(["plan", "-input=false", "-no-color", `-out=${PLAN_FILE}`]);
    const shown = await step(["show", "-json", PLAN_FILE]);
    summaries.push(summarizePlan(stack, JSON.parse(shown.stdout)));
    if (options.apply) await step(["apply", "-input=false", "-no-color", PLAN_FILE]);
  }
  return summaries;
}
