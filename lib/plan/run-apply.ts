/**
 * `npm run apply`: applies the saved plans `npm run plan` made, and nothing else. Each stack is
 * initialized (the plan job and the apply job may be different machines) and `terraform apply
 * <saved plan>` runs; Terraform itself refuses a plan whose state moved on ("Saved plan is stale").
 * Stacks run concurrently where independent; a stack whose prerequisite failed is skipped.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { eachStack, type RunOptions, stackDir } from "./run-plan";
import { changesDigest, PLAN_FILE, PLAN_RECORD_FILE, type PlanRecord } from "./saved-plan";
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

/**
 * Each saved plan's changes, read from the plan file itself (`terraform init` and `terraform show
 * -json`), against the ones the reviewed summary was made from: a plan file from the same
 * configuration but another mode or state is refused before anything is applied.
 */
export async function unreviewedPlans(options: RunOptions, records: readonly PlanRecord[]): Promise<string[]> {
  const reviewed = new Map(records.map((r) => [r.stack, r.changesSha256]));
  const outcomes = await eachStack(options, false, async (_stack, { step, init }) => {
    await init();
    const shown = await step(["show", "-json", PLAN_FILE]);
    return changesDigest(JSON.parse(shown.stdout));
  });
  return options.stacks.flatMap((stack) => {
    const outcome = outcomes.get(stack);
    if (outcome?.status === "failed") return [outcome.error.message];
    if (outcome?.status !== "done") return [`${stack}: ${PLAN_FILE} could not be read`];
    return outcome.value === reviewed.get(stack)
      ? []
      : [
          `${stack}: ${PLAN_FILE} makes other changes than the plan the reviewed summary was made from: run \`npm run plan\` again and review it`,
        ];
  });
}
