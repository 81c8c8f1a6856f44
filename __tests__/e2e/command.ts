/** Runs a command to completion and keeps what it printed, and how long it took: terraform, python3, node. */
import { type ChildOptions, runChild } from "../../lib/cli/child-process";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export type CommandOptions = ChildOptions;

export async function run(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const started = Date.now();
  const result = await runChild(command, args, options);
  return { ...result, seconds: (Date.now() - started) / 1000 };
}
