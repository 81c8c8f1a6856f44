/**
 * `npm run test:e2e`: every config (the embedded default and each file in examples/) applied by
 * real Terraform with the real AWS provider against an AWS emulator (moto) on 127.0.0.1, read
 * back, planned again, checked by doctor, destroyed, and what is left compared with help/cleanup.md.
 *
 *   npm run test:e2e                      every config and the extra proofs
 *   npm run test:e2e -- kms two-way       only these configs (file names without .json) or proofs
 *   SKIP_E2E=1 npm run test:e2e           skip it, saying so (exit 0)
 *
 * E2E_CONCURRENCY (default 2) configs run side by side, each with its own emulator.
 * E2E_PROVIDER_MIRROR (default /opt/tf-plugins) is the Terraform filesystem mirror to install
 * hashicorp/aws from; with E2E_PROVIDER_DOWNLOAD=1 the release the stacks pin is first fetched
 * into it from the registry, and the run stops if it cannot be. E2E_KEEP=1 keeps the work directory.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { run } from "./command";
import { checkPrerequisites } from "./prerequisites";
import { PROOFS, type ProofRow, runProof } from "./proofs";
import { PROJECT_ROOT, type Row, runScenario, type ScenarioOptions } from "./scenario";
import {
  DEFAULT_MIRROR,
  downloadIntoMirror,
  errorLine,
  mirroredAwsVersions,
  PROVIDER_DOWNLOAD_VARIABLE,
  pinnedAwsVersion,
} from "./terraform";

function configs(filter: readonly string[]): Array<{ name: string; file: string }> {
  const all = [
    { name: "replication.config", file: join(PROJECT_ROOT, "replication.config.json") },
    ...readdirSync(join(PROJECT_ROOT, "examples"))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => ({ name: basename(f, ".json"), file: join(PROJECT_ROOT, "examples", f) })),
  ];
  return filter.length === 0 ? all : all.filter((c) => filter.includes(c.name));
}

/** Runs jobs with at most `limit` at a time, results in the jobs' order. */
async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

function rowPassed(row: Row): boolean {
  return (
    row.problems.length === 0 &&
    row.apply === "ok" &&
    row.readBack === "equal" &&
    row.secondPlan === "empty" &&
    row.destroy === "ok" &&
    row.leftovers === "as documented"
  );
}

async function main(argv: string[]): Promise<number> {
  if (process.env.SKIP_E2E === "1" || argv.includes("--skip")) {
    console.log("end-to-end test: skipped (SKIP_E2E=1). Nothing was applied.");
    return 0;
  }
  const started = Date.now();
  const mirror = process.env.E2E_PROVIDER_MIRROR || DEFAULT_MIRROR;
  const download = process.env[PROVIDER_DOWNLOAD_VARIABLE] === "1";
  const prerequisites = checkPrerequisites(mirror, download);
  if (prerequisites.missing.length > 0) {
    console.error("end-to-end test: cannot run, missing:");
    for (const m of prerequisites.missing) console.error(`  - ${m}`);
    console.error("Install what is missing, or skip the test explicitly with SKIP_E2E=1.");
    return 1;
  }
  const build = await run("npm", ["run", "--silent", "build"], { cwd: PROJECT_ROOT });
  if (build.code !== 0) {
    console.error(`npm run build failed:\n${build.stderr}`);
    return 1;
  }
  const selected = configs(argv.filter((a) => !a.startsWith("-")));
  const workDir = mkdtempSync(join(tmpdir(), "replication-e2e-"));
  // The version the synthesized stacks pin, when the mirror has it; otherwise the newest it has.
  const probe = await run("node", [join(PROJECT_ROOT, "dist", "main.js")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: join(workDir, "probe") },
  });
  const pinned =
    probe.code === 0
      ? pinnedAwsVersion(join(workDir, "probe", "stacks", readdirSync(join(workDir, "probe", "stacks"))[0]))
      : "";
  let available = prerequisites.providerVersions;
  if (download && !available.includes(pinned)) {
    const fetched = await downloadIntoMirror(mirror, pinned, workDir);
    available = mirroredAwsVersions(mirror);
    if (!available.includes(pinned)) {
      console.error(`end-to-end test: could not fetch hashicorp/aws ${pinned} into ${mirror}: ${errorLine(fetched)}`);
      return 1;
    }
  }
  const providerVersion = available.includes(pinned) ? pinned : available[0];
  const options: ScenarioOptions = { providerVersion, mirror, workDir };
  const concurrency = Number(process.env.E2E_CONCURRENCY) || 2;
  console.log(
    `end-to-end: ${selected.length} config(s) against moto on 127.0.0.1, ${concurrency} at a time; Terraform ${prerequisites.terraformVersion}, hashicorp/aws ${providerVersion}${providerVersion === pinned ? "" : ` (the stacks pin ${pinned}, which the mirror does not have: an override file sets ${providerVersion})`}`,
  );
  const filter = argv.filter((a) => !a.startsWith("-"));
  const proofs = PROOFS.filter(([id]) => filter.length === 0 || filter.includes(id));
  const jobs: Array<() => Promise<Row | ProofRow>> = [
    ...selected.map((c) => () => runScenario(c.file, c.name, options)),
    ...proofs.map(
      ([, name, proof]) =>
        () =>
          runProof(name, proof, options),
    ),
  ];
  const results = await pool(jobs, concurrency);
  const rows = results.filter((r): r is Row => "config" in r);
  const proofRows = results.filter((r): r is ProofRow => "proof" in r);
  const lines = [
    "",
    `### End to end: Terraform ${prerequisites.terraformVersion}, hashicorp/aws ${providerVersion}, moto on 127.0.0.1`,
    "",
    ...table(
      ["config", "stacks", "apply", "read-back", "second plan", "doctor", "destroy", "leftovers", "seconds"],
      rows.map((r) => [
        r.config,
        String(r.stacks),
        r.apply,
        r.readBack,
        r.secondPlan,
        r.doctor,
        r.destroy,
        r.leftovers,
        r.seconds.toFixed(1),
      ]),
    ),
  ];
  if (proofRows.length > 0) {
    lines.push(
      "",
      ...table(
        ["proof", "result", "passed", "seconds"],
        proofRows.map((p) => [p.proof, p.result.replace(/\|/g, "\\|"), p.passed ? "yes" : "NO", p.seconds.toFixed(1)]),
      ),
    );
  }
  for (const row of rows.filter((r) => r.problems.length > 0)) {
    lines.push("", `${row.config}:`, ...row.problems.map((p) => `  - ${p}`));
  }
  const failed = rows.filter((r) => !rowPassed(r)).length + proofRows.filter((p) => !p.passed).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  lines.push(
    "",
    `${seconds} s in all; doctor "n/a": checks the emulator cannot answer (CONTRIBUTING.md, End-to-end test)`,
  );
  if (process.env.E2E_KEEP === "1" || failed > 0) lines.push(`work directory kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
  lines.push(`e2e: ${rows.length + proofRows.length - failed} passed, ${failed} failed`);
  console.log(lines.join("\n"));
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
