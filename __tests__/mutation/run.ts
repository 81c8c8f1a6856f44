/**
 * StrykerJS over each folder of folders.json (all of them when none is named), one after the other,
 * then a table of scores (mutants no test reaches count as survivors) and times. Started by run.sh,
 * which chooses the Node.js. Exits 1 when a folder scores under the config's `break`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CONFIG = "__tests__/mutation/stryker.config.mjs";

/** StrykerJS 10 refuses Node.js before 22; run.sh chooses the runtime, this only checks it. */
function requireNode22(): void {
  if (Number(process.versions.node.split(".")[0]) < 22) {
    throw new Error(`StrykerJS needs Node.js >= 22, this is ${process.version}: run it with \`npm run test:mutation\``);
  }
}

interface Counts {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
}

/** The counts of Stryker's JSON report (mutation-testing-report-schema). */
function countsOf(report: string): Counts {
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    files: Record<string, { mutants: Array<{ status: string }> }>;
  };
  const counts: Counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const file of Object.values(json.files)) {
    for (const { status } of file.mutants) {
      if (status === "Killed") counts.killed++;
      else if (status === "Timeout") counts.timeout++;
      else if (status === "Survived") counts.survived++;
      else if (status === "NoCoverage") counts.noCoverage++;
      else if (status === "Ignored") counts.ignored++;
      else counts.errors++;
    }
  }
  return counts;
}

/**
 * Drops the mutants the first stage left alive from the incremental report, so that the whole set
 * tests each of them again. StrykerJS would reuse a "static" survivor (one a module's top level
 * reaches, with no covering test on record) even when the whole set has a test that kills it.
 */
function retestSurvivors(incremental: string): void {
  if (!existsSync(incremental)) return;
  const report = JSON.parse(readFileSync(incremental, "utf8")) as {
    files: Record<string, { mutants: Array<{ status: string }> }>;
  };
  for (const file of Object.values(report.files)) {
    file.mutants = file.mutants.filter((m) => m.status !== "Survived" && m.status !== "NoCoverage");
  }
  writeFileSync(incremental, JSON.stringify(report));
}

async function main(): Promise<number> {
  const folders = JSON.parse(readFileSync(join(__dirname, "folders.json"), "utf8")) as Record<
    string,
    { first?: string[] }
  >;
  const names = Object.keys(folders);
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const asked = args.filter((a) => a !== "--force").map((a) => a.replace(/\/+$/, ""));
  const unknown = asked.filter((a) => !names.includes(a));
  if (unknown.length > 0) {
    console.error(`test:mutation: no such folder ${unknown.join(", ")}; one of: ${names.join(", ")}`);
    return 2;
  }
  requireNode22();
  const strykerBin = join(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js");
  const rows: string[] = [];
  let failed = false;
  for (const name of asked.length > 0 ? asked : names) {
    console.log(`\n::: mutation testing ${name}`);
    const report = join(ROOT, "reports/mutation", `${name.replaceAll("/", "-")}.json`);
    rmSync(report, { force: true });
    const start = performance.now();
    // Mutants run changed code, cleanups included: a changed path could remove a whole directory.
    // Their temporary files go to a directory of their own, so that the worst a mutant does is
    // empty it, not the system's temporary directory.
    const scratch = mkdtempSync(join(tmpdir(), "replication-mutation-"));
    const stryker = (stage: "first" | "all", again: boolean) =>
      spawnSync(process.execPath, [strykerBin, "run", CONFIG, ...(again ? ["--force"] : [])], {
        cwd: ROOT,
        stdio: "inherit",
        env: { ...process.env, MUTATION_FOLDER: name, MUTATION_STAGE: stage, TMPDIR: scratch },
      });
    // The quick tests first; the whole set then tests again only the mutants they left alive.
    const first = folders[name].first ? stryker("first", force) : undefined;
    if (first && first.status !== 0) {
      failed = true;
      rows.push(`${name.padEnd(20)} stryker (first stage) exited ${first.status ?? first.signal}`);
      rmSync(scratch, { recursive: true, force: true });
      continue;
    }
    if (first) retestSurvivors(join(ROOT, "reports/mutation", `${name.replaceAll("/", "-")}.incremental.json`));
    const run = stryker("all", force && !first);
    rmSync(scratch, { recursive: true, force: true });
    const seconds = (performance.now() - start) / 1000;
    failed ||= run.status !== 0;
    if (existsSync(report)) {
      const c = countsOf(report);
      const detected = c.killed + c.timeout;
      const score = (100 * detected) / (detected + c.survived + c.noCoverage);
      rows.push(
        `${name.padEnd(20)} ${score.toFixed(2).padStart(6)}% ${String(detected).padStart(8)} ${String(c.survived).padStart(8)} ${String(c.noCoverage).padStart(11)} ${String(c.ignored + c.errors).padStart(7)} ${seconds.toFixed(0).padStart(6)} s`,
      );
    } else {
      rows.push(`${name.padEnd(20)} stryker exited ${run.status ?? run.signal} after ${seconds.toFixed(0)} s`);
    }
  }
  console.log(
    `\n${"folder".padEnd(20)} ${"score".padStart(7)} ${"killed".padStart(8)} ${"survived".padStart(8)} ${"no coverage".padStart(11)} ${"other".padStart(7)} ${"time".padStart(8)}`,
  );
  for (const row of rows) console.log(row);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`test:mutation: ${error.message}`);
    process.exit(2);
  },
);
