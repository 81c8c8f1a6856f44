/**
 * One config through its whole life against a fresh emulator: seed what must exist, synthesize,
 * then per stack in dependency order `terraform init`, `plan`, `apply`; read back what landed;
 * a second `plan -detailed-exitcode` that must find nothing to do; `doctor --canary`; `verify`
 * healthy, then red after a change outside Terraform (verify-lifecycle.ts); destroy as
 * help/cleanup.md says; and what is left.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../../lib/config/loader";
import { type Model, STATE_BOOTSTRAP_STACK } from "../../lib/config/model";
import { deploymentOrder, readManifest } from "../../lib/plan/run-plan";
import type { Json } from "../helpers/loose-json";
import { type CommandResult, run } from "./command";
import { doctorVerdict } from "./doctor-verdict";
import { type Emulator, emulatorFaults, startEmulator } from "./emulator";
import { loadExpected } from "./expected";
import { leftoverProblems } from "./leftovers";
import { readBackProblems } from "./read-back";
import { secondPlanVerdict } from "./second-plan";
import { snapshot } from "./snapshot";
import { errorLine, type Terraform, terraformWith, writeCliConfig, writeProviderOverride } from "./terraform";
import { doctorCanaryRun, verifyLifecycle } from "./verify-lifecycle";
import { buildWorld, type RawConfig, type World } from "./world";

export const PROJECT_ROOT = resolve(__dirname, "../..");
const SECOND_PLAN_FILE = "second.tfplan";

export interface Row {
  readonly config: string;
  readonly stacks: number;
  readonly apply: string;
  readonly readBack: string;
  readonly secondPlan: string;
  readonly doctor: string;
  readonly verify: string;
  readonly destroy: string;
  readonly leftovers: string;
  readonly seconds: number;
  /** Every problem found, for the report below the table. */
  readonly problems: readonly string[];
}

export interface Stage {
  readonly stackDir: (stack: string) => string;
  readonly terraform: Terraform;
  readonly world: World;
  readonly model: Model;
  readonly order: readonly string[];
  readonly configFile: string;
  readonly dir: string;
}

export class StepFailed extends Error {}

/** Runs a step; a failing one stops the scenario with Terraform's own error line. */
export async function step(what: string, result: Promise<CommandResult>): Promise<CommandResult> {
  const done = await result;
  if (done.code !== 0) throw new StepFailed(`${what} failed (exit ${done.code}): ${errorLine(done)}`);
  return done;
}

export function synth(configFile: string, outdir: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return run("node", [join(PROJECT_ROOT, "dist", "main.js")], {
    cwd: PROJECT_ROOT,
    env: { ...env, REPLICATION_CONFIG: configFile, CDKTF_OUTDIR: outdir },
  });
}

/**
 * Sets up a config's world and synthesizes it: the part every scenario shares. The caller owns
 * the emulator and stops it.
 */
export async function prepare(
  emulator: Emulator,
  configFile: string,
  dir: string,
  providerVersion: string,
  mirror: string,
): Promise<Stage> {
  mkdirSync(dir, { recursive: true });
  const raw = JSON.parse(readFileSync(configFile, "utf8")) as RawConfig;
  const model = loadConfig(configFile);
  const world = await buildWorld(emulator, dir, raw, model);
  writeCliConfig(join(dir, "terraformrc"), mirror);
  const outdir = join(dir, "cdktf.out");
  await step("synth", synth(configFile, outdir, world.env));
  const manifest: Json = readManifest(outdir);
  const all = Object.keys(manifest.stacks ?? {});
  // The state bucket's stack comes first: every other stack keeps its state in that bucket.
  const order = [
    ...all.filter((s) => s === STATE_BOOTSTRAP_STACK),
    ...deploymentOrder(manifest, all).filter((s) => s !== STATE_BOOTSTRAP_STACK),
  ];
  const stackDir = (stack: string) => join(outdir, "stacks", stack);
  for (const stack of order) writeProviderOverride(stackDir(stack), providerVersion);
  return { stackDir, terraform: terraformWith(world.env), world, model, order, configFile, dir };
}

export async function applyStack(stage: Stage, stack: string): Promise<void> {
  const cwd = stage.stackDir(stack);
  await step(`${stack}: init`, stage.terraform(["init", "-input=false", "-no-color"], cwd));
  await step(`${stack}: plan`, stage.terraform(["plan", "-input=false", "-no-color", "-out=e2e.tfplan"], cwd));
  await step(`${stack}: apply`, stage.terraform(["apply", "-input=false", "-no-color", "e2e.tfplan"], cwd));
}

/**
 * What a plan proposes, by address, besides the reads of the existing-policy guard's data
 * sources, which Terraform plans again for every apply (lib/constructs/existing-policy-guard.ts).
 */
export function changesBesidesGuard(plan: CommandResult): string[] {
  const lines = plan.stdout.split("\n").map((l) => l.trim());
  return lines.filter(
    (line, i) =>
      /^# [^\s(]\S* (will|must) be/.test(line) &&
      lines[i + 1] !== "# (config will be reloaded to verify a check block)",
  );
}

/**
 * Plans a stack again after its apply: the problems, none when Terraform has nothing to do but the
 * guard's reads. Exit 2 is otherwise always a problem, shown as `terraform show` prints the saved
 * plan, and so is any warning (second-plan.ts).
 */
export async function secondPlan(stage: Stage, stack: string): Promise<string[]> {
  const cwd = stage.stackDir(stack);
  const plan = await stage.terraform(
    ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock=false", `-out=${SECOND_PLAN_FILE}`],
    cwd,
  );
  const json = plan.code === 2 ? await stage.terraform(["show", "-json", SECOND_PLAN_FILE], cwd) : undefined;
  const planJson = json?.code === 0 ? JSON.parse(json.stdout) : undefined;
  const shown = plan.code === 2 ? await stage.terraform(["show", "-no-color", SECOND_PLAN_FILE], cwd) : undefined;
  const verdict = secondPlanVerdict(stack, plan, shown?.code === 0 ? shown.stdout : "", planJson);
  if (verdict.kind === "error") throw new StepFailed(verdict.problem);
  return verdict.kind === "changes" ? [verdict.problem] : [];
}

/** Addresses Terraform refuses to destroy (prevent_destroy): created buckets and keys. */
function keptAddresses(stackDir: string): string[] {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Json)
      .filter(([, resource]) => resource.lifecycle?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`),
  );
}

/**
 * Destroys a stack as help/cleanup.md says: `terraform destroy`, which refuses while the stack holds
 * a created bucket or key, then `terraform state rm` of those, then `terraform destroy` again.
 */
export async function destroyStack(stage: Stage, stack: string): Promise<void> {
  const cwd = stage.stackDir(stack);
  const kept = keptAddresses(cwd);
  const destroy = () => stage.terraform(["destroy", "-auto-approve", "-input=false", "-no-color"], cwd);
  if (kept.length > 0) {
    const refused = await destroy();
    if (refused.code === 0 || !/prevent_destroy/.test(refused.stderr + refused.stdout)) {
      throw new StepFailed(`${stack}: destroy did not refuse to delete ${kept.join(", ")} (prevent_destroy)`);
    }
    await step(`${stack}: state rm`, stage.terraform(["state", "rm", "-no-color", ...kept], cwd));
  }
  await step(`${stack}: destroy`, destroy());
}

interface DoctorOutcome {
  readonly summary: string;
  readonly problems: string[];
}

/** `doctor --canary --json` for each replication (by its id: a grouped stack holds several), judged by doctor-verdict.ts. */
export async function doctor(stage: Stage, endpoint: string): Promise<DoctorOutcome> {
  let passed = 0;
  let counted = 0;
  let canaries = 0;
  const problems: string[] = [];
  for (const r of stage.model.replications) {
    const result = await doctorCanaryRun(stage, r.id, ["--endpoint-url", endpoint]);
    writeFileSync(join(stage.dir, `doctor-${r.id}.json`), result.stdout);
    const verdict = doctorVerdict(r.id, result);
    passed += verdict.passed;
    counted += verdict.counted;
    canaries += verdict.checks.filter((c) => c.check === "canary" && c.passed).length;
    problems.push(...verdict.problems);
  }
  return { summary: `${passed}/${counted} pass (${canaries} canaries)`, problems };
}

export interface ScenarioOptions {
  readonly providerVersion: string;
  readonly mirror: string;
  readonly workDir: string;
}

/**
 * The whole life of one config, read back against expected/<name>/. Never throws: a failed step
 * shows in its row.
 */
export async function runScenario(configFile: string, name: string, options: ScenarioOptions): Promise<Row> {
  const started = Date.now();
  const row = {
    config: name,
    stacks: 0,
    apply: "-",
    readBack: "-",
    secondPlan: "-",
    doctor: "-",
    verify: "-",
    destroy: "-",
    leftovers: "-",
    problems: [] as string[],
  };
  const emulator = await startEmulator();
  try {
    const stage = await prepare(
      emulator,
      configFile,
      join(options.workDir, name),
      options.providerVersion,
      options.mirror,
    );
    row.stacks = stage.order.length;
    const expected = loadExpected(name);
    const unlisted = [...stage.order].sort().join(", ");
    const listed = [...expected.stacks.keys()].sort().join(", ");
    if (unlisted !== listed) throw new StepFailed(`synthesized stacks ${unlisted}, expected files for ${listed}`);
    const before = await snapshot(emulator, stage.world);
    row.apply = "FAIL";
    for (const stack of stage.order) await applyStack(stage, stack);
    row.apply = "ok";
    const applied = await snapshot(emulator, stage.world);
    const readBack = readBackProblems(expected, applied);
    row.problems.push(...readBack);
    row.readBack = readBack.length === 0 ? "equal" : `${readBack.length} differ`;
    const diffs: string[] = [];
    for (const stack of stage.order) diffs.push(...(await secondPlan(stage, stack)));
    row.problems.push(...diffs);
    row.secondPlan = diffs.length === 0 ? "empty" : `changes in ${diffs.length} stack(s)`;
    const checked = await doctor(stage, emulator.endpoint);
    row.problems.push(...checked.problems);
    row.doctor = checked.summary;
    const verified = await verifyLifecycle(stage, name);
    row.problems.push(...verified.problems);
    row.verify = verified.summary;
    row.destroy = "FAIL";
    // The state bucket's stack is kept: it holds every other stack's state (docs/features.md, State bucket bootstrap).
    for (const stack of [...stage.order].reverse().filter((s) => s !== STATE_BOOTSTRAP_STACK)) {
      await destroyStack(stage, stack);
    }
    row.destroy = "ok";
    const after = await snapshot(emulator, stage.world);
    const left = leftoverProblems({
      model: stage.model,
      expected,
      seeded: stage.world.buckets,
      applied,
      before,
      after,
    });
    row.problems.push(...left);
    row.leftovers = left.length === 0 ? "as documented" : `${left.length} differ`;
  } catch (error) {
    row.problems.push(error instanceof StepFailed ? error.message : String((error as Error).stack ?? error));
    writeFileSync(join(options.workDir, `${name}.emulator.log`), emulator.output());
  } finally {
    row.problems.push(...emulatorFaults(emulator));
    await emulator.stop();
  }
  return { ...row, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
