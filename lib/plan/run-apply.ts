/**
 * `npm run apply`: applies the saved plans `npm run plan` made, and nothing else. Each stack is
 * initialized (the plan job and the apply job may be different machines) and `terraform apply
 * <saved plan>` runs; Terraform itself refuses a plan whose state moved on ("Saved plan is stale").
 * Stacks run concurrently where independent; a stack whose prerequisite failed is skipped.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { eachStack, type RunOptions, stackDir } from "./run-plan";
import { PLAN_FILE, PLAN_RECORD_FILE } from "./saved-plan";
import type { StackOutcome } from "./stack-scheduler";

export function applyStacks(options: RunOptions): Promise<Map<string, StackOutcome<string>>> {
  const dirOf = stackDir(options.outdir);
  return eachStack(options, true, async (stack, { step, init }) => {
    await init();
    const applied = await step(["apply", "-input=false", "-no-color", PLAN_FILE]);
    // An applied plan is spent: a second `npm run apply` must not find it.
    for (const file of [PLAN_FILE, PLAN_RECORD_FILE]) rmSync(join(dirOf(stack), file), { force: true });
    return applied.stdout;
  });
}
