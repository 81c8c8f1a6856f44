/**
 * Behaviours the per-config lifecycle does not show:
 * - wrong credentials: the destination profile holds the source account's keys; the plan stops
 *   on `allowed_account_ids` and nothing is written anywhere;
 * - order: the stack that must follow another, applied first, fails and says why;
 * - a renamed role converges in one apply;
 * - a central log archive's sources come and go, and a one-to-one destination becomes shared
 *   (fan-in.ts);
 * - config text that looks like Terraform templates reaches AWS exactly as written;
 * - `npm run plan` / `apply` / `adopt` on existing buckets and their refusals (safe-apply.ts);
 * - doctor, status and a backfill dry run with the endpoint set each standard way (endpoint-proof.ts);
 * - a second plan fails on an output-only change and a tainted resource (second-plan-proof.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sortedKeysJson } from "../../lib/canonical-json";
import { renamedRoleConfig, templateTextConfig } from "./derived-configs";
import { endpointSettings } from "./endpoint-proof";
import { EVERY_PATH_PROOFS } from "./every-path";
import { loadExpected } from "./expected";
import { oneToFanIn, sourcesInTurn } from "./fan-in";
import { moveLayout } from "./move-proof";
import { OPERATOR_PERMISSION_PROOFS } from "./operator-permissions";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { readBackProblems } from "./read-back";
import { REVIEWED_PLAN_PROOFS } from "./reviewed-plan";
import { SAFE_APPLY_PROOFS } from "./safe-apply";
import {
  applyStack,
  PROJECT_ROOT,
  runScenario,
  type ScenarioOptions,
  StepFailed,
  secondPlan,
  step,
  synth,
} from "./scenario";
import { secondPlanCatchesEveryChange } from "./second-plan-proof";
import { snapshot } from "./snapshot";
import { errorLine } from "./terraform";
import { VERIFY_PERMISSION_PROOF } from "./verify-permissions";

export interface ProofRow {
  readonly proof: string;
  readonly result: string;
  readonly passed: boolean;
  readonly seconds: number;
}

type Proof = (options: ScenarioOptions) => Promise<Outcome>;

const DEFAULT_CONFIG = join(PROJECT_ROOT, "replication.config.json");
const TWO_WAY = join(PROJECT_ROOT, "examples", "two-way.json");

const wrongAccount: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-wrong-account", async (stage, emulator) => {
    const [stack] = stage.order;
    const credentials = stage.world.env.AWS_SHARED_CREDENTIALS_FILE as string;
    const source = stage.world.keys.get("111122223333");
    const text = readFileSync(credentials, "utf8").replace(
      /\[destination-account-profile\]\naws_access_key_id = .*\naws_secret_access_key = .*/,
      `[destination-account-profile]\naws_access_key_id = ${source?.accessKeyId}\naws_secret_access_key = ${source?.secretAccessKey}`,
    );
    writeFileSync(credentials, text);
    const before = await snapshot(emulator, stage.world);
    await step(`${stack}: init`, stage.terraform(["init", "-input=false", "-no-color"], stage.stackDir(stack)));
    const plan = await stage.terraform(["plan", "-input=false", "-no-color", "-out=e2e.tfplan"], stage.stackDir(stack));
    const after = await snapshot(emulator, stage.world);
    const refused = plan.code !== 0 && /AWS account ID not allowed: 111122223333/.test(plan.stderr);
    const untouched = sortedKeysJson([...before]) === sortedKeysJson([...after]);
    return {
      passed: refused && untouched,
      result: `${refused ? "plan refused" : `plan exit ${plan.code}`}: ${errorLine(plan)}; ${untouched ? "nothing written" : "SOMETHING WAS WRITTEN"}`,
    };
  });

const outOfOrder: Proof = (options) =>
  onOwnEmulator(options, TWO_WAY, "proof-out-of-order", async (stage) => {
    const later = stage.order[stage.order.length - 1];
    try {
      await applyStack(stage, later);
      return { passed: false, result: `${later} applied before ${stage.order[0]} without an error` };
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      const clear = /Versioning must be 'Enabled'/.test(error.message);
      return { passed: clear, result: `${later} first: ${error.message}` };
    }
  });

const renamedRole: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-rename-role", async (stage, emulator) => {
    const [stack] = stage.order;
    await applyStack(stage, stack);
    const renamed = renamedRoleConfig();
    const renamedFile = join(stage.dir, "renamed.json");
    writeFileSync(renamedFile, JSON.stringify(renamed, null, 2));
    await step("synth (renamed)", synth(renamedFile, join(stage.dir, "cdktf.out"), stage.world.env));
    await applyStack(stage, stack);
    const diffs = await secondPlan(stage, stack);
    const problems = readBackProblems(loadExpected("proof-rename-role"), await snapshot(emulator, stage.world));
    const passed = diffs.length === 0 && problems.length === 0;
    return {
      passed,
      result: passed
        ? "one apply: role replaced, bucket policy rewritten, second plan empty, read-back equal"
        : [...diffs, ...problems].join("; "),
    };
  });

/**
 * Text Terraform would evaluate if it were not escaped, in a prefix and in an extra statement with
 * an IAM policy variable (tags cannot hold "$" or "%" by AWS's rule): the whole lifecycle must read
 * it back from the emulator exactly as written, and the second plan must be empty.
 */
const templateText: Proof = async (options) => {
  const config = templateTextConfig();
  const file = join(options.workDir, "template-text.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  const row = await runScenario(file, "proof-template-text", options);
  const passed =
    row.problems.length === 0 && row.apply === "ok" && row.readBack === "equal" && row.secondPlan === "empty";
  return {
    passed,
    result: `apply ${row.apply}, read back ${row.readBack}, second plan ${row.secondPlan}${row.problems.length > 0 ? `: ${row.problems[0]}` : ""}`,
  };
};
const endpoints: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-endpoint-settings", (stage) => endpointSettings(stage));

/** Id (to run one alone: npm run test:e2e -- <id>), what it proves, and the proof. */
export const PROOFS: ReadonlyArray<readonly [string, string, Proof]> = [
  ["proof-wrong-account", "destination profile with the source account's keys", wrongAccount],
  ["proof-out-of-order", "two-way: the second stack applied first", outOfOrder],
  ["proof-rename-role", "the role renamed", renamedRole],
  ["proof-fan-in", "central log archive: each source destroyed and applied again in turn", sourcesInTurn],
  ["proof-one-to-fan-in", "a one-to-one destination gains two sources", oneToFanIn],
  ["proof-template-text", "config text that looks like Terraform templates", templateText],
  ["proof-endpoint-settings", "doctor, status, backfill --dry-run with the endpoint set each standard way", endpoints],
  ["proof-move-layout", "npm run move: two sources moved from per-bucket to per-account stacks", moveLayout],
  ...SAFE_APPLY_PROOFS,
  ...OPERATOR_PERMISSION_PROOFS,
  VERIFY_PERMISSION_PROOF,
  [
    "proof-second-plan",
    "second plan: an output-only change and a tainted resource fail it",
    secondPlanCatchesEveryChange,
  ],
  ...EVERY_PATH_PROOFS,
  ...REVIEWED_PLAN_PROOFS,
];

export async function runProof(name: string, proof: Proof, options: ScenarioOptions): Promise<ProofRow> {
  const started = Date.now();
  let outcome: { passed: boolean; result: string };
  try {
    outcome = await proof(options);
  } catch (error) {
    outcome = { passed: false, result: error instanceof StepFailed ? error.message : String((error as Error).stack) };
  }
  return { proof: name, ...outcome, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
