/**
 * `npm run bench:plan`: `npm run plan` over 1, 10 and 50 stacks against the AWS emulator of the
 * end-to-end test (moto on 127.0.0.1), one stack at a time (`--concurrency 1`) and concurrently
 * (the default bound, or BENCH_CONCURRENCY). The AWS provider comes from a packed (zip) filesystem
 * mirror made from the end-to-end mirror, so installing it costs what it costs after a registry
 * download: unpacking ~675 MB. Disk used by providers: the shared plugin cache plus every stack's
 * `.terraform` (symlinks counted as links); and, for comparison, one stack initialized without a
 * shared cache. One run per cell. Writes the `npm run plan` section of bench/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../__tests__/e2e/command";
import { startEmulator } from "../__tests__/e2e/emulator";
import { checkPrerequisites } from "../__tests__/e2e/prerequisites";
import { prepare } from "../__tests__/e2e/scenario";
import { DEFAULT_MIRROR, writeCliConfig } from "../__tests__/e2e/terraform";

const ROOT = join(__dirname, "..");
const SIZES = [1, 10, 50];
const SECTION = "## `npm run plan`";

function configWith(stacks: number, file: string): string {
  const config = {
    backend: { type: "local" },
    accounts: {
      source: { accountId: "111122223333", region: "us-east-1", credentials: { profile: "source-account-profile" } },
      destination: {
        accountId: "444455556666",
        region: "us-east-1",
        credentials: { profile: "destination-account-profile" },
      },
    },
    replications: Array.from({ length: stacks }, (_, i) => {
      const n = String(i).padStart(3, "0");
      return {
        source: { account: "source", bucket: `bench-src-${n}` },
        rules: [{ id: "all", priority: 1, destination: { account: "destination", bucket: `bench-dst-${n}` } }],
      };
    }),
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
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

/** Kilobytes under the paths, symlinks not followed. */
function diskKb(paths: string[]): number {
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) return 0;
  const du = spawnSync("du", ["-sk", "-c", ...existing], { encoding: "utf8" });
  const total = du.stdout.trim().split("\n").slice(-1)[0];
  return Number(total.split(/\s+/)[0]);
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<number> {
  const mirror = process.env.E2E_PROVIDER_MIRROR || DEFAULT_MIRROR;
  const prerequisites = checkPrerequisites(mirror);
  if (prerequisites.missing.length > 0) {
    console.error(`bench:plan: cannot run, missing:\n${prerequisites.missing.map((m) => `  - ${m}`).join("\n")}`);
    return 1;
  }
  if (spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) return 1;
  const version = prerequisites.providerVersions[0];
  const scratch = mkdtempSync(join(tmpdir(), "replication-plan-bench-"));
  const concurrency = Number(process.env.BENCH_CONCURRENCY) || Math.min(4, availableParallelism());
  const rows: string[] = [];
  let perStackKb = 0;
  try {
    const packed = packedMirror(mirror, version, join(scratch, "mirror"));
    for (const size of SIZES) {
      const emulator = await startEmulator();
      try {
        const dir = join(scratch, `stacks-${size}`);
        mkdirSync(dir);
        const config = configWith(size, join(dir, "config.json"));
        const stage = await prepare(emulator, config, dir, version, packed);
        const stackDirs = stage.order.map(stage.stackDir);
        const seconds: Record<string, number> = {};
        const disk: Record<string, number> = {};
        const load: number[] = [];
        for (const [mode, args] of [
          ["sequential", ["--concurrency", "1"]],
          ["concurrent", ["--concurrency", String(concurrency)]],
        ] as const) {
          const cache = join(dir, `plugin-cache-${mode}`);
          for (const d of stackDirs) {
            rmSync(join(d, ".terraform"), { recursive: true, force: true });
            rmSync(join(d, ".terraform.lock.hcl"), { force: true });
          }
          load.push(loadavg()[0]);
          // The destination buckets are seeded with a policy statement: replacing it is intended here.
          const planned = await run("node", [join(ROOT, "dist", "plan.js"), "plan", "--replace-existing", ...args], {
            cwd: ROOT,
            env: {
              ...stage.world.env,
              REPLICATION_CONFIG: config,
              CDKTF_OUTDIR: join(dir, "cdktf.out"),
              TF_PLUGIN_CACHE_DIR: cache,
            },
          });
          if (planned.code !== 0)
            throw new Error(`npm run plan (${mode}, ${size}) failed:\n${planned.stderr.slice(-2000)}`);
          seconds[mode] = planned.seconds;
          load.push(loadavg()[0]);
          disk[mode] = diskKb([cache, ...stackDirs.map((d) => join(d, ".terraform"))]);
          console.log(`${size} stack(s), ${mode}: ${planned.seconds.toFixed(1)} s, ${mb(disk[mode])}`);
        }
        if (size === 1) {
          // One stack without a shared cache: what every stack held before.
          const [only] = stackDirs;
          rmSync(join(only, ".terraform"), { recursive: true, force: true });
          rmSync(join(only, ".terraform.lock.hcl"), { force: true });
          const cli = join(dir, "terraformrc-no-cache");
          writeCliConfig(cli, packed);
          const env: NodeJS.ProcessEnv = { ...stage.world.env, TF_CLI_CONFIG_FILE: cli };
          delete env.TF_PLUGIN_CACHE_DIR;
          const init = await run("terraform", ["init", "-input=false", "-no-color"], { cwd: only, env });
          if (init.code !== 0) throw new Error(`terraform init without a cache failed:\n${init.stderr}`);
          perStackKb = diskKb([join(only, ".terraform")]);
        }
        rows.push(
          `| ${size} | ${seconds.sequential.toFixed(1)} s | ${seconds.concurrent.toFixed(1)} s | ${(seconds.sequential / seconds.concurrent).toFixed(2)}× | ${mb(disk.concurrent)} | ${mb(perStackKb * size)} | ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} |`,
        );
      } finally {
        await emulator.stop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const cpu = cpus();
  const section = `${SECTION}

Produced by \`npm run bench:plan\` (bench/plan-bench.ts): \`npm run plan\` (synth, existing-bucket
check, \`terraform init\`, \`plan -out\`, \`show -json\`, summary) against the end-to-end test's AWS
emulator on 127.0.0.1, Terraform ${prerequisites.terraformVersion}, hashicorp/aws ${version} from a
packed filesystem mirror. One run per cell, so the ratio is from one run. Sequential is
\`--concurrency 1\`, concurrent is \`--concurrency ${concurrency}\`, on ${cpu.length} cores that the
emulator shares. Provider disk is the shared plugin cache plus every stack's \`.terraform\`
(symlinks counted as links), the same for both modes; "without a shared cache" is one stack's
\`.terraform\` after \`terraform init\` with no cache, times the number of stacks. "load" is the
machine's 1-minute load average before and after each run (other work on the machine slows both
modes and leaves concurrency little idle CPU).

| stacks | sequential | concurrent | speedup | provider disk | without a shared cache | load |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

Date: ${new Date().toISOString().slice(0, 10)}.
`;
  const file = join(ROOT, "bench/RESULTS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const at = current.indexOf(`\n${SECTION}`);
  writeFileSync(file, `${(at >= 0 ? current.slice(0, at) : current).trimEnd()}\n\n${section}`);
  console.log(section);
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
