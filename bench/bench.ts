/**
 * `npm run bench`: one table of what a person waits for. App-only synth (the bundled app, no
 * cdktf CLI) for the embedded default config and for generated configs with 1 to 500 source
 * buckets, then `npm run synth` and `npm test` end to end. Writes bench/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "replication-bench-"));

interface Sample {
  readonly seconds: number;
  readonly rssMb?: number;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Sample {
  const rssFile = join(scratch, "rss");
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
  let rssMb: number | undefined;
  try {
    rssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
  } catch {
    rssMb = undefined;
  }
  return { seconds, rssMb };
}

function median(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  const rss = samples.map((s) => s.rssMb ?? 0).sort((a, b) => a - b);
  return { seconds: middle.seconds, rssMb: middle.rssMb === undefined ? undefined : rss[Math.floor(rss.length / 2)] };
}

function repeat(times: number, sample: () => Sample): Sample {
  return median(Array.from({ length: times }, sample));
}

/** A config with `n` source buckets, each replicating to its own destination bucket, in `layout`. */
function generatedConfig(n: number, layout: "per-bucket" | "per-account" | "single" = "per-bucket"): string {
  const pad = (i: number) => String(i).padStart(4, "0");
  const config = {
    backend: { type: "s3", bucket: "bench-terraform-state", region: "us-east-1" },
    stackLayout: layout,
    accounts: {
      source: { accountId: "111122223333", region: "us-east-1", credentials: { profile: "source" } },
      backup: { accountId: "444455556666", region: "us-west-2", credentials: { profile: "backup" } },
    },
    replications: Array.from({ length: n }, (_, i) => ({
      source: { account: "source", bucket: `bench-source-${pad(i)}` },
      rules: [
        {
          id: "all",
          priority: 1,
          deleteMarkerReplication: true,
          destination: { account: "backup", bucket: `bench-backup-${pad(i)}` },
        },
      ],
    })),
  };
  const file = join(scratch, `config-${n}-${layout}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function appSynth(configFile: string): Sample {
  const outdir = join(scratch, "out");
  rmSync(outdir, { recursive: true, force: true });
  return run("node", ["--require", join(ROOT, "bench/max-rss.cjs"), "dist/main.js"], {
    REPLICATION_CONFIG: configFile,
    CDKTF_OUTDIR: outdir,
  });
}

const rows: Array<[string, Sample, string]> = [];
run("npm", ["run", "--silent", "build"]);
rows.push([
  "app-only synth, embedded default config (1 stack)",
  repeat(7, () => appSynth(join(ROOT, "replication.config.json"))),
  "≤ 0.3 s",
]);
for (const n of [1, 10, 100, 500]) {
  const file = generatedConfig(n);
  rows.push([
    `app-only synth, ${n} source bucket(s)`,
    repeat(n >= 100 ? 3 : 5, () => appSynth(file)),
    n === 500 ? "≤ 2 s, ≤ 250 MB" : "",
  ]);
}
// Grouped layouts: the same 500 pairs in one stack (one source account; per-account and single alike).
for (const layout of ["per-account", "single"] as const) {
  const file = generatedConfig(500, layout);
  rows.push([
    `app-only synth, 500 source buckets, ${layout} layout (1 stack)`,
    repeat(3, () => appSynth(file)),
    "≤ 2 s",
  ]);
}
rows.push([
  "`npm run synth` (build + synth, embedded default)",
  repeat(3, () => run("npm", ["run", "--silent", "synth"], { CDKTF_OUTDIR: join(scratch, "npm-out") })),
  "≤ 2.5 s",
]);
rows.push(["`npm test` (type-check, lint, jest)", run("npm", ["test", "--silent"]), "≤ 30 s"]);
rmSync(scratch, { recursive: true, force: true });

const cpu = cpus();
const table = [
  "| measurement | wall time | peak RSS | target |",
  "| --- | ---: | ---: | --- |",
  ...rows.map(
    ([name, s, target]) =>
      `| ${name} | ${s.seconds.toFixed(2)} s | ${s.rssMb === undefined ? "–" : `${s.rssMb.toFixed(0)} MB`} | ${target} |`,
  ),
].join("\n");
const machine = [
  `- date: ${new Date().toISOString().slice(0, 10)}`,
  `- CPU: ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown"}`,
  `- memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- Node.js ${process.version}, ${process.platform}-${process.arch}`,
].join("\n");
const report = `# Benchmark results

Produced by \`npm run bench\` (bench/bench.ts). Wall time is the median of repeated runs (7 for the
default config, 5 for 1 and 10 buckets, 3 for 100 and 500 buckets and for \`npm run synth\`; one
\`npm test\`). Peak RSS is the synth process's own maximum resident set size. "App-only synth" runs
the bundled app (\`node dist/main.js\`) without the cdktf CLI, which adds about 1.6 s of start-up.

${table}

Machine:
${machine}
`;
// The `npm run plan` section belongs to bench/plan-bench.ts: keep it.
const previous = readFileSync(join(ROOT, "bench/RESULTS.md"), "utf8");
const planSection = previous.indexOf("\n## `npm run plan`");
writeFileSync(join(ROOT, "bench/RESULTS.md"), planSection >= 0 ? `${report}${previous.slice(planSection)}` : report);
console.log(table);
