/** Runs a command to completion and keeps what it printed, and how long it took: terraform, python3, node. */
export type { CommandOptions, CommandResult } from "../../lib/run-process";
export { runProcess as run } from "../../lib/run-process";
