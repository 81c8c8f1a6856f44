/**
 * `npm run stacks [-- --json] [--shards N]`: the stacks `npm run plan` plans, in deployment
 * order, for a CI matrix (in GitHub Actions also $GITHUB_OUTPUT stacks= or shards=).
 */
import { Command, Option } from "commander";
import { stackList } from "../plan/stack-list";
import { conventional, githubOutput, type PlanIo, planEnvironment, runCommand, shardsOption } from "./plan-io";

export const STACKS_EXIT_CODES = "Exit codes: 0 listed; 2 bad input (config, arguments).";

export function stacksCommand(io: PlanIo, exit: (code: number) => void): Command {
  const command = new Command("npm run stacks --")
    .description(
      "Print the stacks `npm run plan` plans (every replication stack; the state bootstrap only when named), in deployment order: a shared destination's stack before its sources, the first of a two-way pair before the second. One a line, or JSON. In GitHub Actions the list also goes to $GITHUB_OUTPUT as stacks=<JSON array> (shards=<JSON array> with --shards).",
    )
    .addOption(new Option("--json", "print a JSON array instead of one stack a line"))
    .addOption(shardsOption())
    .action((options: { json?: boolean; shards?: number }) => {
      const listed = stackList(planEnvironment(io, 1), options.shards ?? 0);
      if (!listed) return exit(2);
      io.stdout(options.json || listed.kind === "shards" ? JSON.stringify(listed.list) : listed.list.join("\n"));
      githubOutput(io, listed.kind, JSON.stringify(listed.list));
      exit(0);
    });
  return conventional(command, io, STACKS_EXIT_CODES);
}

export function runStacksCommand(argv: readonly string[], io: PlanIo): Promise<number> {
  return runCommand((exit) => stacksCommand(io, exit), argv, io);
}
