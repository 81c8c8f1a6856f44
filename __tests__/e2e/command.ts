/** Runs a command to completion and keeps what it printed: terraform, python3, node. */
import { type CommandOptions, type CommandResult, runProcess } from "../../lib/run-process";

export type { CommandOptions, CommandResult };

/** lib/run-process.ts's runner, with stdin closed unless the caller writes something to it. */
export function run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return runProcess(command, args, { ...options, input: options.input ?? "" });
}
