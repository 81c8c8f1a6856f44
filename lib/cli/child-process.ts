/** A child process run to its end, never through a shell, with what it printed collected. */
import { spawn } from "node:child_process";
import type { CommandResult } from "../plan/run-plan";

export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to its standard input, which is then closed. */
  readonly input?: string;
}

/** Exit 127 with the reason when the command cannot be started (not installed, not on PATH). */
export function runChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", (error) => resolve({ code: 127, stdout, stderr: `${command}: ${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
