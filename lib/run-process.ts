/**
 * A child process run to completion, with what it printed kept: Terraform for lib/plan, and
 * terraform, python3 and node for the end-to-end test, gh for verify's issues. Never through a
 * shell. It never throws: a command that cannot start answers exit code 127 (as a shell does) with
 * the reason on stderr. Its stdin is closed after the input (if any), so a command that would ask
 * a question reads end-of-file and stops instead of waiting for a person who is not there.
 */
import { spawn } from "node:child_process";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface CommandOptions {
  readonly cwd?: string;
  /** The whole environment of the child; the parent's when left out. */
  readonly env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (closed at once without it). */
  readonly input?: string;
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
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
