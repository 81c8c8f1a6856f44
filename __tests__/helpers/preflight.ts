import { join } from "node:path";
import type { CheckResult } from "../../lib/check-result";
import { type PreflightReport, preflightStacks } from "../../lib/preflight/run-preflight";
import { readStacks, type StackJson } from "../../lib/preflight/terraform-json";
import type { Json } from "./loose-json";
import { synthRun, writeConfig } from "./synth-run";

/** Synthesizes a config file (or config object) and reads the stacks back as preflight does. */
export function synthesizedStacks(config: string | object): StackJson[] {
  const file = typeof config === "string" ? join(process.cwd(), config) : writeConfig(config);
  const run = synthRun(file);
  if (run.code !== 0) throw new Error(run.stderr.join("\n"));
  return readStacks(run.outdir);
}

/** A deep copy of the stacks with `edit` applied to the named stack's JSON. */
export function mutate(stacks: StackJson[], edit: (json: Json) => void, stack = stacks[0].name): StackJson[] {
  return stacks.map((s) => {
    if (s.name !== stack) return s;
    const json: Json = structuredClone(s.json);
    edit(json);
    return { ...s, json };
  });
}

/** Reads a JSON-text attribute (a policy), edits it as data and writes it back. */
export function editPolicy(resource: Json, edit: (policy: Json) => void, attribute = "policy"): void {
  const policy = JSON.parse(resource[attribute]);
  edit(policy);
  resource[attribute] = JSON.stringify(policy);
}

export function failures(report: PreflightReport): CheckResult[] {
  return report.results.filter((r) => !r.passed);
}

export { preflightStacks };
