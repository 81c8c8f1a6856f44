/**
 * The AWS emulator of the end-to-end test: moto's server, with the AWS behaviours the test needs
 * restored (emulator/aws_emulator.py), on 127.0.0.1 and a free port. Never any other address.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { run } from "./command";

const HOST = "127.0.0.1";
const EMULATOR_DIR = join(__dirname, "emulator");
/** The line aws_emulator.py prints when a policy holds a condition operator it cannot evaluate. */
export const UNSUPPORTED_CONDITION_MARKER = "aws_emulator: UNSUPPORTED CONDITION OPERATOR";

export interface Emulator {
  /** `http://127.0.0.1:<port>`: the value of AWS_ENDPOINT_URL for every client of the test. */
  readonly endpoint: string;
  /** What the server printed, for a failure report. */
  readonly output: () => string;
  /**
   * What the emulator could not emulate faithfully (a condition operator it does not implement):
   * each such line fails the run, because a statement it cannot evaluate would silently change
   * what a policy allows.
   */
  readonly faults: () => string[];
  readonly stop: () => Promise<void>;
}

/** A port nobody listens on right now, on the loopback address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Waits for the emulator at `endpoint` to answer; fails early if `child` exits. */
export async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the emulator did not answer on ${endpoint} within 30 s:\n${output()}`);
}

/**
 * How the emulator runs on `port` of 127.0.0.1 (the test's, and `npm run sandbox`'s).
 * MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false makes a resource applied through the wrong account's
 * provider fail instead of silently working.
 */
export function emulatorProcess(port: number): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: "python3",
    args: [join(EMULATOR_DIR, "aws_emulator.py"), "-H", HOST, "-p", String(port)],
    env: { ...process.env, MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS: "false" },
  };
}

/** Starts one emulator. */
export async function startEmulator(): Promise<Emulator> {
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const server = emulatorProcess(port);
  const child = spawn(server.command, server.args, { env: server.env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const faults: string[] = [];
  // Each stream is split into lines on its own, so a fault line is never cut by the other stream.
  const keep = (stream: NodeJS.ReadableStream | null) => {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      faults.push(...lines.filter((l) => l.startsWith(UNSUPPORTED_CONDITION_MARKER)));
    });
  };
  keep(child.stdout);
  keep(child.stderr);
  const output = () => log;
  await waitUntilUp(endpoint, child, output);
  return {
    endpoint,
    output,
    faults: () => [...faults],
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The emulator's faults, as problems of the run that met them. */
export function emulatorFaults(emulator: Emulator): string[] {
  // A client retries a failed request: each fault once.
  return [...new Set(emulator.faults())].map((line) => `emulator: ${line}`);
}

/** Runs one command of emulator/fixtures.py (boto3) with JSON in and JSON out. */
export async function fixture<T>(
  emulator: Emulator,
  command: "accounts" | "seed" | "snapshot",
  input: unknown,
): Promise<T> {
  const result = await run("python3", [join(EMULATOR_DIR, "fixtures.py"), command, emulator.endpoint], {
    input: JSON.stringify(input),
  });
  if (result.code !== 0) throw new Error(`fixtures.py ${command} failed (exit ${result.code}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
