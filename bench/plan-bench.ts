/**
 * `npm run bench:plan`: the stack layouts side by side in one run. For N one-to-one pairs between
 * two accounts, each layout (per-bucket, per-account, single) goes through `npm run plan` against
 * the end-to-end test's AWS emulator (moto on 127.0.0.1), one root at a time (`--concurrency 1`)
 * and at the default concurrency; then `npm run apply`, the state file sizes, and a second
 * `npm run plan` that finds nothing to do (how much skipping `terraform show -json` saves). Every
 * row records the machine's 1-minute load average before and after: the machine is shared.
 * Sequential runs are split into synth, Terraform's steps (a timing `terraform` on PATH) and the
 * rest (existing-bucket check, summary, start-up). A root's fixed costs (init with and without
 * the shared plugin cache and lock file, one provider start-up, plan with and without refresh,
 * show -json) are measured on their own. Per-bucket is measured at --per-bucket-sizes only (one
 * root per pair: 100 pairs take many minutes); its other --sizes up to 100 are estimated from the
 * time per root at the largest measured size, and labelled so. Writes the "Stack layouts" section
 * of bench/RESULTS.md (unless --no-results).
 *
 *   npm run bench:plan -- [--layouts per-bucket,per-account,single] [--sizes 1,20,100,500]
 *     [--per-bucket-sizes 1,20] [--per-account-sizes <as --sizes>] [--apply-max 100] [--per-bucket-apply-max 1] [--probe-pairs 100]
 *     [--no-results]
 * A root's fixed costs are probed on per-bucket's one-pair root and on the single root of
 * --probe-pairs pairs.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type CommandResult, run } from "../__tests__/e2e/command";
import { startEmulator } from "../__tests__/e2e/emulator";
import { checkPrerequisites } from "../__tests__/e2e/prerequisites";
import { prepare, type Stage, synth } from "../__tests__/e2e/scenario";
import { DEFAULT_MIRROR, writeCliConfig } from "../__tests__/e2e/terraform";
import type { StackLayout } from "../lib/config/model";
import { LOCK_FILE } from "../lib/plan/plugin-cache";
import { PLAN_FILE } from "../lib/plan/saved-plan";
import { LAYOUTS, writeLayoutConfig } from "./layout-config";
import { type TerraformTimer, terraformTimer } from "./terraform-timer";

const ROOT = join(__dirname, "..");
const SECTION = "## Stack layouts: `npm run plan` and `npm run apply`";

interface Load {
  readonly before: number;
  readonly after: number;
}

interface PlanRun {
  readonly seconds: number;
  readonly load: Load;
}

interface PlanRow {
  readonly layout: StackLayout;
  readonly pairs: number;
  readonly roots: number;
  readonly resources: number;
  readonly sequential: PlanRun;
  readonly concurrent: PlanRun;
  /** The sequential run split: synth, Terraform's steps, and the rest. */
  readonly profile: Record<string, number>;
}

interface ApplyRow {
  readonly layout: StackLayout;
  readonly pairs: number;
  readonly roots: number;
  readonly apply: PlanRun;
  readonly stateKb: { readonly total: number; readonly largest: number };
  readonly secondPlan: PlanRun;
  /** What `terraform show -json` of every second plan takes, one root after another: what the skip saves. */
  readonly showSeconds: number;
}

interface FixedCosts {
  readonly layout: StackLayout;
  readonly pairs: number;
  readonly seconds: Record<string, number>;
}

const f1 = (n: number) => n.toFixed(1);
const loadText = (load: Load) => `${f1(load.before)}→${f1(load.after)}`;

function fail(what: string, result: CommandResult): never {
  throw new Error(`${what} failed (exit ${result.code}):\n${(result.stderr || result.stdout).slice(-3000)}`);
}

/** The provider as a registry would hand it out: the zip in a packed-layout mirror. */
function packedMirror(from: string, version: string, dir: string): string {
  const target = join(dir, "registry.terraform.io", "hashicorp", "aws");
  mkdirSync(target, { recursive: true });
  const zip = join(target, `terraform-provider-aws_${version}_linux_amd64.zip`);
  const source = join(from, "registry.terraform.io", "hashicorp", "aws", version, "linux_amd64");
  const zipped = spawnSync("zip", ["-q", "-1", "-j", zip, ...readdirSync(source).map((f) => join(source, f))]);
  if (zipped.status !== 0) throw new Error(`zip failed: ${zipped.stderr}`);
  return dir;
}

/** As a fresh checkout has them: no `.terraform`, no lock file (the plugin cache stays warm). */
function uninitialized(stackDirs: readonly string[]): void {
  for (const d of stackDirs) {
    rmSync(join(d, ".terraform"), { recursive: true, force: true });
    rmSync(join(d, LOCK_FILE), { force: true });
  }
}

function resourcesIn(stackDirs: readonly string[]): number {
  let count = 0;
  for (const d of stackDirs) {
    const json = JSON.parse(readFileSync(join(d, "cdk.tf.json"), "utf8"));
    for (const byName of Object.values(json.resource ?? {})) count += Object.keys(byName as object).length;
  }
  return count;
}

/** The stacks' local-backend state files (the path each cdk.tf.json names), in kilobytes. */
function stateKb(stackDirs: readonly string[]) {
  const sizes = stackDirs.map((d) => {
    const backend = JSON.parse(readFileSync(join(d, "cdk.tf.json"), "utf8")).terraform?.backend?.local;
    const file = resolve(d, backend?.path ?? "terraform.tfstate");
    return existsSync(file) ? statSync(file).size / 1024 : 0;
  });
  return { total: sizes.reduce((a, b) => a + b, 0), largest: Math.max(0, ...sizes) };
}

async function timed(
  what: string,
  command: () => Promise<CommandResult>,
): Promise<PlanRun & { result: CommandResult }> {
  const before = loadavg()[0];
  const result = await command();
  const after = loadavg()[0];
  if (result.code !== 0) fail(what, result);
  return { seconds: result.seconds, load: { before, after }, result };
}

interface Cell {
  readonly layout: StackLayout;
  readonly pairs: number;
  readonly stage: Stage;
  readonly stackDirs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Terraform's own environment: the emulator's, with the shared plugin cache. */
  readonly tfEnv: NodeJS.ProcessEnv;
  readonly timer: TerraformTimer;
  readonly concurrency: number;
}

function planCli(cell: Cell, args: readonly string[]): Promise<CommandResult> {
  return run("node", [join(ROOT, "dist", "plan.js"), ...args], { cwd: ROOT, env: cell.env });
}

async function planRow(cell: Cell): Promise<PlanRow> {
  const { layout, pairs, stackDirs } = cell;
  const synthDir = mkdtempSync(join(tmpdir(), "replication-bench-synth-"));
  const synthRun = await synth(cell.stage.configFile, synthDir, cell.stage.world.env);
  rmSync(synthDir, { recursive: true, force: true });
  if (synthRun.code !== 0) fail("synth", synthRun);
  const runs: Record<string, PlanRun> = {};
  let profile: Record<string, number> = {};
  // One root: --concurrency has nothing to overlap, so the concurrent run is the sequential one.
  const modes = stackDirs.length > 1 ? (["sequential", "concurrent"] as const) : (["sequential"] as const);
  for (const mode of modes) {
    const concurrency = mode === "sequential" ? 1 : cell.concurrency;
    uninitialized(stackDirs);
    cell.timer.reset();
    runs[mode] = await timed(`npm run plan (${layout}, ${pairs}, ${mode})`, () =>
      planCli(cell, ["plan", "--concurrency", String(concurrency)]),
    );
    if (mode === "sequential") {
      const steps = cell.timer.totals();
      const terraform = Object.values(steps).reduce((a, b) => a + b, 0);
      profile = { synth: synthRun.seconds, ...steps, rest: runs[mode].seconds - synthRun.seconds - terraform };
    }
    console.log(
      `${layout} ${pairs} pair(s), plan ${mode}: ${f1(runs[mode].seconds)} s, load ${loadText(runs[mode].load)}${mode === "sequential" ? ` ${JSON.stringify(profile)}` : ""}`,
    );
  }
  return {
    layout,
    pairs,
    roots: stackDirs.length,
    resources: resourcesIn(stackDirs),
    sequential: runs.sequential,
    concurrent: runs.concurrent ?? runs.sequential,
    profile,
  };
}

/** Applies the plans the concurrent run saved, then plans again: nothing to do. */
async function applyRow(cell: Cell): Promise<ApplyRow> {
  const { layout, pairs, stackDirs } = cell;
  const applied = await timed(`npm run apply (${layout}, ${pairs})`, () => planCli(cell, ["apply", "--auto-approve"]));
  const secondPlan = await timed(`second npm run plan (${layout}, ${pairs})`, () => planCli(cell, ["plan"]));
  const unchanged = (secondPlan.result.stdout.match(/: no changes$/gm) ?? []).length;
  if (unchanged !== stackDirs.length)
    throw new Error(`second plan (${layout}, ${pairs}): ${unchanged} of ${stackDirs.length} roots say "no changes"`);
  let showSeconds = 0;
  for (const d of stackDirs) {
    const shown = await run("terraform", ["show", "-json", PLAN_FILE], { cwd: d, env: cell.tfEnv });
    if (shown.code !== 0) fail("terraform show -json", shown);
    showSeconds += shown.seconds;
  }
  const row = {
    layout,
    pairs,
    roots: stackDirs.length,
    apply: applied,
    stateKb: stateKb(stackDirs),
    secondPlan,
    showSeconds,
  };
  console.log(
    `${layout} ${pairs} pair(s): apply ${f1(applied.seconds)} s, second plan ${f1(secondPlan.seconds)} s (show -json would add ${f1(showSeconds)} s), state ${f1(row.stateKb.total)} KB`,
  );
  return row;
}

/** One applied root's Terraform steps on their own, each timed once. */
async function fixedCosts(cell: Cell, mirror: string): Promise<FixedCosts> {
  const [dir] = cell.stackDirs;
  const env = cell.tfEnv;
  const tf = async (what: string, args: string[], runEnv = env) => {
    const result = await run("terraform", args, { cwd: dir, env: runEnv });
    if (result.code !== 0 && !(args[0] === "plan" && result.code === 2)) fail(`terraform ${what}`, result);
    return result.seconds;
  };
  const init = ["init", "-input=false", "-no-color"];
  const seconds: Record<string, number> = {};
  uninitialized([dir]);
  seconds["init, shared cache, no lock file"] = await tf("init", init);
  rmSync(join(dir, ".terraform"), { recursive: true, force: true });
  seconds["init, shared cache and lock file"] = await tf("init", init);
  const noCacheCli = join(cell.stage.dir, "terraformrc-no-cache");
  writeCliConfig(noCacheCli, mirror);
  const noCache: NodeJS.ProcessEnv = { ...env, TF_CLI_CONFIG_FILE: noCacheCli };
  delete noCache.TF_PLUGIN_CACHE_DIR;
  rmSync(join(dir, ".terraform"), { recursive: true, force: true });
  seconds["init, no cache"] = await tf("init", init, noCache);
  seconds["validate (one provider start-up and schema load)"] = await tf("validate", ["validate", "-no-color"]);
  const plan = ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=bench.tfplan"];
  seconds["plan (refresh)"] = await tf("plan", plan);
  seconds["plan -refresh=false"] = await tf("plan", [...plan, "-refresh=false"]);
  seconds["plan -parallelism=30"] = await tf("plan", [...plan, "-parallelism=30"]);
  seconds["show -json"] = await tf("show", ["show", "-json", "bench.tfplan"]);
  rmSync(join(dir, "bench.tfplan"), { force: true });
  console.log(`${cell.layout} ${cell.pairs} pair(s), fixed costs: ${JSON.stringify(seconds)}`);
  return { layout: cell.layout, pairs: cell.pairs, seconds };
}

function numbers(text: string): number[] {
  return text.split(",").map((s) => Number(s.trim()));
}

function resultsSection(
  context: { terraform: string; provider: string; concurrency: number; sizes: readonly number[] },
  plans: readonly PlanRow[],
  applies: readonly ApplyRow[],
  fixed: readonly FixedCosts[],
  loads: Load,
): string {
  const estimate = (row: PlanRow, pairs: number) => {
    const perRoot = (run: PlanRun) => run.seconds / row.roots;
    return `| per-bucket | ${pairs} | ${pairs} | ≈ ${f1(perRoot(row.sequential) * pairs)} s (estimate: ${f1(perRoot(row.sequential))} s per root at ${row.pairs}) | – | ≈ ${f1(perRoot(row.concurrent) * pairs)} s (estimate) | – | – |`;
  };
  const planLines: string[] = [];
  for (const row of plans) {
    planLines.push(
      row.roots > 1
        ? `| ${row.layout} | ${row.pairs} | ${row.roots} | ${f1(row.sequential.seconds)} s | ${loadText(row.sequential.load)} | ${f1(row.concurrent.seconds)} s | ${loadText(row.concurrent.load)} | ${row.resources} |`
        : `| ${row.layout} | ${row.pairs} | 1 | ${f1(row.sequential.seconds)} s | ${loadText(row.sequential.load)} | the same (one root) | – | ${row.resources} |`,
    );
  }
  const perBucket = plans.filter((p) => p.layout === "per-bucket");
  const largest = perBucket[perBucket.length - 1];
  const sizes = [...new Set(plans.map((p) => p.pairs))];
  if (largest) {
    for (const pairs of context.sizes.filter((n) => n > largest.pairs && n <= 100))
      planLines.push(estimate(largest, pairs));
  }
  const steps = [...new Set(plans.flatMap((p) => Object.keys(p.profile)))].filter((s) => s !== "synth" && s !== "rest");
  const profileLines = plans.map(
    (p) =>
      `| ${p.layout} | ${p.pairs} | ${f1(p.profile.synth)} s | ${steps.map((s) => `${f1(p.profile[s] ?? 0)} s`).join(" | ")} | ${f1(p.profile.rest)} s | ${f1(p.sequential.seconds)} s |`,
  );
  const applyLines = applies.map(
    (a) =>
      `| ${a.layout} | ${a.pairs} | ${a.roots} | ${f1(a.apply.seconds)} s | ${loadText(a.apply.load)} | ${f1(a.stateKb.total)} KB (largest ${f1(a.stateKb.largest)} KB) | ${f1(a.secondPlan.seconds)} s | ${loadText(a.secondPlan.load)} | ${f1(a.showSeconds)} s |`,
  );
  const fixedNames = [...new Set(fixed.flatMap((c) => Object.keys(c.seconds)))];
  const fixedLines = fixedNames.map(
    (name) => `| ${name} | ${fixed.map((c) => `${f1(c.seconds[name] ?? Number.NaN)} s`).join(" | ")} |`,
  );
  const cpu = cpus();
  return `${SECTION}

Produced by \`npm run bench:plan\` (bench/plan-bench.ts): N one-to-one pairs between two accounts
(existing source buckets, destinations created by the stack), in each \`stackLayout\`, through
\`npm run plan\` (synth, existing-bucket check, \`terraform init\`, \`plan -detailed-exitcode
-out\`, \`show -json\` where the plan changes something, summary) against the end-to-end test's AWS
emulator on 127.0.0.1, Terraform ${context.terraform}, hashicorp/aws ${context.provider} from a
packed filesystem mirror, the shared plugin cache warm and every root without \`.terraform\` and
lock file, as in a fresh checkout. One run per cell. Sequential is \`--concurrency 1\`, concurrent
the default (\`--concurrency ${context.concurrency}\` on ${cpu.length} cores that the emulator
shares). "load" is the machine's 1-minute load average before→after the run: the machine was
shared with other work, which slows every row. Sizes measured: ${sizes.join(", ")} pairs;
per-bucket only at ${perBucket.map((p) => p.pairs).join(", ")} (one root per pair): its larger
rows are estimates, the time per root at ${largest?.pairs ?? "–"} pairs times the pairs.

| layout | pairs | roots | sequential | load | concurrent | load | resources |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${planLines.join("\n")}

Where the sequential time goes: synth (the app, timed on its own), each Terraform step summed over
the roots (a timing \`terraform\` on PATH), and the rest (Node start-up, the existing-bucket check
through the AWS SDK, the summary).

| layout | pairs | synth | ${steps.map((s) => `terraform ${s}`).join(" | ")} | rest | total |
| --- | ---: | ---: | ${steps.map(() => "---:").join(" | ")} | ---: | ---: |
${profileLines.join("\n")}

\`npm run apply -- --auto-approve\` of the saved plans (default concurrency; it checks each plan
again, \`show -json\` included), the local-backend state files it leaves, and a second
\`npm run plan\` (default concurrency, roots initialized): every root's plan exits 0, so
\`terraform show -json\` is skipped and the summary says "no changes". The last column is what
\`show -json\` of those plans takes, one root after another: the time the skip saves.

| layout | pairs | roots | apply | load | state files | second plan | load | show -json skipped |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${applyLines.join("\n")}

One root's fixed costs, each step once, after apply (${fixed.map((c) => `${c.layout} with ${c.pairs} pair(s)`).join("; ")}):

| step | ${fixed.map((c) => `${c.layout}, ${c.pairs} pair(s)`).join(" | ")} |
| --- | ${fixed.map(() => "---:").join(" | ")} |
${fixedLines.join("\n")}

Date: ${new Date().toISOString().slice(0, 10)}; ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}; load average
${f1(loads.before)} at the start, ${f1(loads.after)} at the end.
`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      layouts: { type: "string", default: LAYOUTS.join(",") },
      sizes: { type: "string", default: "1,20,100,500" },
      "per-bucket-sizes": { type: "string", default: "1,20" },
      "per-account-sizes": { type: "string" },
      "apply-max": { type: "string", default: "100" },
      "per-bucket-apply-max": { type: "string", default: "1" },
      "probe-pairs": { type: "string", default: "100" },
      "no-results": { type: "boolean", default: false },
    },
  });
  const layouts = (values.layouts as string).split(",").map((l) => l.trim()) as StackLayout[];
  const unknown = layouts.filter((l) => !LAYOUTS.includes(l));
  if (unknown.length > 0) {
    console.error(`bench:plan: --layouts: no layout ${unknown.join(", ")}: use ${LAYOUTS.join(", ")}`);
    return 2;
  }
  const sizes = numbers(values.sizes as string);
  const perBucketSizes = numbers(values["per-bucket-sizes"] as string);
  const perAccountSizes = values["per-account-sizes"] ? numbers(values["per-account-sizes"]) : sizes;
  const applyMax = Number(values["apply-max"]);
  const perBucketApplyMax = Number(values["per-bucket-apply-max"]);
  const probePairs = Number(values["probe-pairs"]);
  if (
    [...sizes, ...perBucketSizes, ...perAccountSizes, applyMax, perBucketApplyMax].some(
      (n) => !Number.isInteger(n) || n < 0,
    )
  ) {
    console.error("bench:plan: --sizes, --per-bucket-sizes, --apply-max, --per-bucket-apply-max: whole numbers");
    return 2;
  }
  const mirror = process.env.E2E_PROVIDER_MIRROR || DEFAULT_MIRROR;
  const prerequisites = checkPrerequisites(mirror);
  if (prerequisites.missing.length > 0) {
    console.error(`bench:plan: cannot run, missing:\n${prerequisites.missing.map((m) => `  - ${m}`).join("\n")}`);
    return 1;
  }
  if (spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) return 1;
  const realTerraform = spawnSync("which", ["terraform"], { encoding: "utf8" }).stdout.trim();
  const version = prerequisites.providerVersions[0];
  const scratch = mkdtempSync(join(tmpdir(), "replication-plan-bench-"));
  const concurrency = Math.min(4, availableParallelism());
  const cache = join(scratch, "plugin-cache");
  mkdirSync(cache);
  const timer = terraformTimer(scratch, realTerraform);
  const plans: PlanRow[] = [];
  const applies: ApplyRow[] = [];
  const fixed: FixedCosts[] = [];
  const startLoad = loadavg()[0];
  try {
    const packed = packedMirror(mirror, version, join(scratch, "mirror"));
    for (const layout of layouts) {
      const layoutSizes = { "per-bucket": perBucketSizes, "per-account": perAccountSizes, single: sizes };
      for (const pairs of layoutSizes[layout]) {
        const emulator = await startEmulator();
        try {
          const dir = join(scratch, `${layout}-${pairs}`);
          mkdirSync(dir);
          const config = writeLayoutConfig(layout, pairs, join(dir, "config.json"));
          const stage = await prepare(emulator, config, dir, version, packed);
          const cell: Cell = {
            layout,
            pairs,
            stage,
            stackDirs: stage.order.map(stage.stackDir),
            env: timer.env({
              ...stage.world.env,
              REPLICATION_CONFIG: config,
              CDKTF_OUTDIR: join(dir, "cdktf.out"),
              TF_PLUGIN_CACHE_DIR: cache,
            }),
            tfEnv: { ...stage.world.env, TF_PLUGIN_CACHE_DIR: cache },
            timer,
            concurrency,
          };
          plans.push(await planRow(cell));
          const applied = layout === "per-bucket" ? pairs <= perBucketApplyMax : pairs <= applyMax;
          if (applied) {
            applies.push(await applyRow(cell));
            const probe = layout === "per-bucket" ? pairs === 1 : layout === "single" && pairs === probePairs;
            if (probe) fixed.push(await fixedCosts(cell, packed));
          }
        } finally {
          await emulator.stop();
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // The measurements themselves, in case the table below cannot be written.
  console.log(JSON.stringify({ plans, applies, fixed }));
  const section = resultsSection(
    {
      terraform: prerequisites.terraformVersion ?? "unknown",
      provider: version,
      concurrency,
      sizes,
    },
    plans,
    applies,
    fixed,
    { before: startLoad, after: loadavg()[0] },
  );
  console.log(section);
  if (values["no-results"]) return 0;
  const file = join(ROOT, "bench/RESULTS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const at = current.indexOf(`\n${SECTION}`);
  writeFileSync(file, `${(at >= 0 ? current.slice(0, at) : current).trimEnd()}\n\n${section}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
