/**
 * The second plan after an apply: `terraform plan -detailed-exitcode` must exit 0. Exit 2 means
 * Terraform would change something, whatever it is: a resource, only an output, or a tainted
 * resource to replace (the last two show no "# <address> will be ..." line). Each is a failure,
 * reported with the changes as `terraform show` prints the saved plan.
 *
 * One exit 2 is not a change: a stack with the existing-policy guard always plans its check's
 * data source to be read again during the apply; lib/plan/guard-reads.ts tells it apart from the
 * saved plan's JSON, as `npm run verify`'s drift check does. A warning (a failed check) after an
 * apply is a failure too.
 * @see https://developer.hashicorp.com/terraform/cli/commands/plan#detailed-exitcode
 * @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
 */
import { onlyGuardReads, type ShownPlan } from "../../lib/plan/guard-reads";
import type { CommandResult } from "./command";
import { errorLine } from "./terraform";

const SHOWN_LINES = 60;

/** Terraform's preamble to every plan, which says nothing about this one. */
const BOILERPLATE = [
  /^Terraform used the selected providers to generate the following execution$/,
  /^plan\. Resource actions are indicated with the following symbols:$/,
  /^Terraform will perform the following actions:$/,
];

/** The changes of a saved plan as `terraform show` prints them, without the preamble, at most 60 lines. */
export function changesOf(shown: string): string[] {
  const lines = shown
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !BOILERPLATE.some((b) => b.test(l.trim())));
  return lines.length <= SHOWN_LINES
    ? lines
    : [...lines.slice(0, SHOWN_LINES), `... ${lines.length - SHOWN_LINES} more lines`];
}

/** Terraform's warnings in a plan's output: after an apply, each is a false alarm. */
export function warningsOf(plan: CommandResult): string[] {
  return `${plan.stdout}\n${plan.stderr}`
    .split("\n")
    .map((l) => l.replace(/^[│╷╵\s]+/, "").trim())
    .filter((l) => l.startsWith("Warning: "));
}

export type SecondPlanVerdict =
  | { readonly kind: "empty" }
  | { readonly kind: "changes"; readonly problem: string }
  | { readonly kind: "error"; readonly problem: string };

/**
 * What a stack's second plan says. `shown` is `terraform show` of the saved plan (used on exit 2;
 * the plan's own stdout when show failed); `planJson` its `terraform show -json`, when read.
 */
export function secondPlanVerdict(
  stack: string,
  plan: CommandResult,
  shown: string,
  planJson?: ShownPlan,
): SecondPlanVerdict {
  const warnings = warningsOf(plan);
  if (warnings.length > 0 && (plan.code === 0 || plan.code === 2)) {
    return {
      kind: "changes",
      problem: `${stack}: second plan warns:\n${warnings.map((l) => `      ${l}`).join("\n")}`,
    };
  }
  if (plan.code === 0) return { kind: "empty" };
  if (plan.code === 2 && planJson && onlyGuardReads(planJson)) return { kind: "empty" };
  if (plan.code === 2) {
    const changes = changesOf(shown.trim() === "" ? plan.stdout : shown);
    return {
      kind: "changes",
      problem: `${stack}: second plan exit 2, Terraform would change:\n${changes.map((l) => `      ${l}`).join("\n")}`,
    };
  }
  return { kind: "error", problem: `${stack}: second plan failed (exit ${plan.code}): ${errorLine(plan)}` };
}
