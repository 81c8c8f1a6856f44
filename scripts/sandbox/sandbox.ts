/**
 * `npm run sandbox`: the whole flow (plan, apply, doctor, destroy, cdktf diff/deploy) on this
 * machine, with no AWS account. It reuses the end-to-end test's parts: the emulator (moto with
 * the behaviours the test restores), the world a config expects (accounts, profiles, existing
 * buckets and keys, the state bucket), the Terraform CLI config that installs the provider from
 * the filesystem mirror, and the provider override where the mirror lacks the pinned release.
 * The emulator outlives this process; its id is recorded in <dir>/sandbox.json for `stop`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { emulatorProcess, freePort, waitUntilUp } from "../../__tests__/e2e/emulator";
import { configCopy } from "../../__tests__/e2e/safe-apply";
import { PROJECT_ROOT, prepare } from "../../__tests__/e2e/scenario";
import { DEFAULT_MIRROR } from "../../__tests__/e2e/terraform";
import { BINDINGS_PROVIDER_VERSION } from "../../lib/config/provider-version";
import { parseSandboxArguments, SANDBOX_USAGE, type SandboxRequest, UsageError } from "./arguments";
import { exportLines, sandboxVariables, unsetLine } from "./environment";
import { sandboxPrerequisites } from "./prerequisites";

const STATE_FILE = "sandbox.json";
const ENV_FILE = "env.sh";
const LOG_FILE = "emulator.log";

interface SandboxState {
  readonly pid: number;
  readonly endpoint: string;
  readonly example: string;
  readonly variables: Array<[string, string]>;
}

function readState(dir: string): SandboxState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as SandboxState;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is still the emulator this sandbox started (a recycled id is someone else's). */
function isOurEmulator(pid: number): boolean {
  const ps = spawnSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" });
  return ps.status === 0 && ps.stdout.includes("aws_emulator.py");
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function start(request: Extract<SandboxRequest, { action: "start" }>): Promise<number> {
  const { dir } = request;
  const running = readState(dir);
  if (running && isOurEmulator(running.pid)) {
    say(
      `sandbox: already running (${running.example}, ${running.endpoint}, pid ${running.pid}): \`source ${relative(process.cwd(), join(dir, ENV_FILE))}\` to use it, or \`npm run sandbox -- stop\` first`,
    );
    return 1;
  }
  const mirror = process.env.E2E_PROVIDER_MIRROR || DEFAULT_MIRROR;
  const prerequisites = sandboxPrerequisites(mirror);
  if (prerequisites.missing.length > 0) {
    say("sandbox: cannot start, missing:");
    for (const m of prerequisites.missing) say(`  - ${m}`);
    return 1;
  }
  const providerVersion = prerequisites.providerVersions.includes(BINDINGS_PROVIDER_VERSION)
    ? BINDINGS_PROVIDER_VERSION
    : prerequisites.providerVersions[0];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "plugin-cache"), { recursive: true });
  // A copy: `npm run adopt` writes into the config, and the sandbox must leave the project's alone.
  const config = configCopy(request.config, dir);
  say("sandbox: building (npm run build)");
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (build.status !== 0) {
    say(`sandbox: npm run build failed:\n${build.stderr}`);
    return 1;
  }
  const port = await freePort();
  const server = emulatorProcess(port);
  const logFile = join(dir, LOG_FILE);
  const log = openSync(logFile, "a");
  // Its own process group, not tied to this terminal: it keeps running after this command ends.
  const child: ChildProcess = spawn(server.command, server.args, {
    env: server.env,
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  const output = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "");
  const stopChild = () => {
    if (child.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
  };
  try {
    say(
      `sandbox: emulator on ${endpoint} (pid ${child.pid}); making the accounts, profiles and buckets of ${request.example}`,
    );
    await waitUntilUp(endpoint, child, output);
    const emulator = { endpoint, output, faults: () => [], stop: async () => stopChild() };
    const stage = await prepare(emulator, config, dir, providerVersion, mirror);
    const variables = sandboxVariables(dir, endpoint, config);
    writeFileSync(join(dir, ENV_FILE), `${exportLines(variables).join("\n")}\n`);
    const state: SandboxState = { pid: child.pid as number, endpoint, example: request.example, variables };
    writeFileSync(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    const shown = relative(process.cwd(), dir) || ".";
    say(
      [
        `sandbox: ready. Accounts ${[...new Set(stage.world.profiles.values())].join(", ")}; profiles ${[...stage.world.profiles.keys()].join(", ")};`,
        `  existing buckets ${stage.world.buckets.map((b) => b.bucket).join(", ")}.`,
        `  Stacks (in ${shown}/cdktf.out): ${stage.order.join(", ")}`,
        ...(providerVersion === BINDINGS_PROVIDER_VERSION
          ? []
          : [
              `  The stacks pin hashicorp/aws ${BINDINGS_PROVIDER_VERSION}; the mirror has ${providerVersion}, so each stack has an override file (zz_e2e_provider_override.tf.json) that sets it.`,
            ]),
        "",
        "Point this shell at it (nothing else reaches AWS: a dead proxy for every host but 127.0.0.1):",
        `  source ${shown}/${ENV_FILE}`,
        'then npm run plan, adopt, apply, doctor; npm run verify -- --outdir "$CDKTF_OUTDIR";',
        '  npx cdktf diff/deploy/destroy --output "$CDKTF_OUTDIR" --skip-provider-lock',
        "(README, Try it without AWS). Stop it with `npm run sandbox:stop`.",
      ].join("\n"),
    );
    // stdout holds only the shell lines: `eval "$(npm run --silent sandbox)"` works too.
    process.stdout.write(`${exportLines(variables).join("\n")}\n`);
    return 0;
  } catch (error) {
    stopChild();
    say(`sandbox: could not start: ${(error as Error).message}\nemulator output: ${logFile}`);
    return 1;
  }
}

function stop(request: Extract<SandboxRequest, { action: "stop" }>): number {
  const state = readState(request.dir);
  if (!state) {
    say(`sandbox: none running (no ${join(relative(process.cwd(), request.dir) || ".", STATE_FILE)})`);
    return 0;
  }
  if (isOurEmulator(state.pid)) {
    // The emulator leads its own process group (detached): stop the group, so no worker is left.
    try {
      process.kill(-state.pid, "SIGTERM");
    } catch {
      process.kill(state.pid, "SIGTERM");
    }
    say(`sandbox: stopped the emulator (pid ${state.pid}, ${state.endpoint})`);
  } else {
    say(`sandbox: the emulator (pid ${state.pid}) had already stopped`);
  }
  rmSync(request.dir, { recursive: true, force: true });
  say(`sandbox: removed ${relative(process.cwd(), request.dir) || "."}. In shells that sourced its env.sh:`);
  say(`  ${unsetLine(state.variables)}`);
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let request: SandboxRequest;
  try {
    request = parseSandboxArguments(argv, resolve(PROJECT_ROOT));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(`sandbox: ${error.message}\n\n${SANDBOX_USAGE}`);
    return 2;
  }
  if (request.action === "help") {
    process.stdout.write(`${SANDBOX_USAGE}\n`);
    return 0;
  }
  return request.action === "stop" ? stop(request) : start(request);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      say(`sandbox: ${(error as Error).stack ?? error}`);
      process.exitCode = 1;
    },
  );
}
