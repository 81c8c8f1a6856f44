/**
 * The drift check: does a plan against the live accounts show changes made outside Terraform?
 * `terraform plan -detailed-exitcode -lock=false` with the stack's own backend and providers,
 * refreshed from the accounts: exit 0 is no drift; exit 2 is drift unless the saved plan's JSON
 * proposes nothing but the existing-policy guard's reads (lib/plan/guard-reads.ts); any other exit
 * is a failed check with Terraform's words. It never takes the state lock (verify only reads) and
 * never touches the saved plan `npm run plan` made (its own file, verify.tfplan).
 * @see https://developer.hashicorp.com/terraform/cli/commands/plan#detailed-exitcode
 * @see https://developer.hashicorp.com/terraform/cli/commands/plan#lock-false
 */
import { type CheckResult, fail, HELP, pass } from "../../check-result";
import { changesBesidesGuardReads, type ShownPlan } from "../../plan/guard-reads";
import type { CommandRunner } from "../../plan/run-plan";
import { type Cell, cellOf } from "./findings";

export const VERIFY_PLAN_FILE = "verify.tfplan";

export const DRIFT_PLAN_ARGS = [
  "plan",
  "-input=false",
  "-no-color",
  "-detailed-exitcode",
  "-lock=false",
  `-out=${VERIFY_PLAN_FILE}`,
] as const;

/** Terraform's first error line, without its box drawing. */
export function errorLine(stdout: string, stderr: string): string {
  const lines = `${stderr}\n${stdout}`
    .split("\n")
    .map((l) => l.replace(/^[│╷╵\s]+/, "").trim())
    .filter((l) => l !== "");
  return lines.find((l) => l.startsWith("Error:")) ?? lines[0] ?? "no output";
}

export interface DriftStep {
  readonly stack: string;
  /** The stack's directory. */
  readonly cwd: string;
  readonly run: CommandRunner;
  /** `terraform init`, gated so the provider cache is filled once (lib/plan/plugin-cache.ts). */
  readonly init: () => Promise<void>;
}

export async function driftOf({ stack, cwd, run, init }: DriftStep): Promise<Cell> {
  const base = { stack, check: "drift", resource: stack, help: HELP.drift };
  const result = (finding: CheckResult, summaries: { pass?: string; fail?: string }) => cellOf([finding], summaries);
  try {
    await init();
  } catch (error) {
    const detail = `terraform init failed: ${(error as Error).message.split("\n").slice(1).join(" ").slice(0, 400)}`;
    return result(fail({ ...base, detail }), { fail: "cannot plan" });
  }
  const plan = await run("terraform", [...DRIFT_PLAN_ARGS], cwd);
  if (plan.code === 0) return result(pass({ ...base, help: undefined, detail: "no changes" }), { pass: "no changes" });
  if (plan.code !== 2) {
    const detail = `terraform plan failed (exit ${plan.code}): ${errorLine(plan.stdout, plan.stderr)}`;
    return result(fail({ ...base, detail }), { fail: "cannot plan" });
  }
  const shown = await run("terraform", ["show", "-json", VERIFY_PLAN_FILE], cwd);
  if (shown.code !== 0) {
    const detail = `terraform show -json failed (exit ${shown.code}): ${errorLine(shown.stdout, shown.stderr)}`;
    return result(fail({ ...base, detail }), { fail: "cannot plan" });
  }
  const changes = changesBesidesGuardReads(JSON.parse(shown.stdout) as ShownPlan);
  if (changes.length === 0) {
    return result(pass({ ...base, help: undefined, detail: "no changes (the existing-policy guard's reads only)" }), {
      pass: "no changes",
    });
  }
  return result(fail({ ...base, detail: `changed outside Terraform: ${changes.join("; ")}` }), {
    fail: `${changes.length} change${changes.length === 1 ? "" : "s"}`,
  });
}
