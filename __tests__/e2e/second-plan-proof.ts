/**
 * The second plan fails on the changes that print no "# <address> will be ..." line: the default
 * config applied, then an output added beside the stack and the batch role's policy tainted. Both make
 * `plan -detailed-exitcode` exit 2 with Terraform 1.11.4; the scenario's check must report the
 * change with both shown, and an untouched stack must plan empty.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { applyStack, PROJECT_ROOT, type ScenarioOptions, secondPlan, step } from "./scenario";

const EXTRA_OUTPUT_FILE = "zz_e2e_extra_output.tf.json";
const TAINTED = "aws_iam_role_policy.batch_replication";

export const secondPlanCatchesEveryChange = (options: ScenarioOptions): Promise<Outcome> =>
  onOwnEmulator(options, join(PROJECT_ROOT, "replication.config.json"), "proof-second-plan", async (stage) => {
    const [stack] = stage.order;
    const cwd = stage.stackDir(stack);
    await applyStack(stage, stack);
    const before = await secondPlan(stage, stack);
    writeFileSync(join(cwd, EXTRA_OUTPUT_FILE), JSON.stringify({ output: { e2e_extra: { value: "changed" } } }));
    await step(`${stack}: taint`, stage.terraform(["taint", "-no-color", TAINTED], cwd));
    const after = await secondPlan(stage, stack);
    rmSync(join(cwd, EXTRA_OUTPUT_FILE));
    const shown = after.join("\n");
    const caught = [
      [`${TAINTED} is tainted, so must be replaced`, shown.includes(`# ${TAINTED} is tainted, so must be replaced`)],
      ["the output e2e_extra", /\+ e2e_extra\s+= "changed"/.test(shown)],
    ] as const;
    const missed = caught.filter(([, seen]) => !seen).map(([what]) => what);
    const passed = before.length === 0 && after.length === 1 && missed.length === 0;
    return {
      passed,
      result: passed
        ? `untouched: empty; output added and ${TAINTED} tainted: reported as a change, both shown`
        : `untouched: ${before.length === 0 ? "empty" : before.join("; ")}; after: ${missed.length > 0 ? `not shown: ${missed.join(", ")}; ` : ""}${shown || "no change reported"}`,
    };
  });
