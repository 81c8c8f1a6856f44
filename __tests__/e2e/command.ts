/** Runs a command to completion and keeps what it printed: terraform, python3, node. */
import { spawn } from "node:child_process";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
}

export function run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const seconds = () => (Date.now() - started) / 1000;
    child.on("error", (error) =>
      resolve({ code: 127, stdout, stderr: `${command}: ${error.message}`, seconds: seconds() }),
    );
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: seconds() }));
    child.stdin.end(options.input ?? "");
  });
}
