/**
 * `npm run adopt [-- <stack>...]`: copies the bucket-policy statements the apply would remove
 * into the config file, editing only the lines that change.
 */
import { Command } from "commander";
import { adopt } from "../plan/adopt";
import { conventional, type PlanIo, planEnvironment, runCommand } from "./plan-io";

export const ADOPT_EXIT_CODES =
  "Exit codes: 0 every statement kept (or none to keep); 1 something could not be adopted (said on stderr); 2 bad input.";

export function adoptCommand(io: PlanIo, exit: (code: number) => void): Command {
  const command = new Command("npm run adopt --")
    .description(
      [
        "Keep what existing buckets have: read each stack's existing destination buckets with your credentials, and copy every bucket-policy statement the apply would remove into the config file, under replications[].destinationPolicies.<bucket>.additionalStatements (for a shared destination: sharedDestinations.<bucket>.additionalStatements).",
        "The file is edited in place, in its own indentation, so the pull-request diff shows only the added statements; it is written only if the result is a valid config. A statement whose Sid has characters other than letters and digits, and every replication rule the config lacks, are listed for you to add by hand.",
      ].join("\n\n"),
    )
    .argument("[stack...]", "stacks whose buckets to read (default: every stack)")
    .action(async (stacks: string[]) => {
      const result = await adopt(stacks, planEnvironment(io, 1));
      for (const line of result.out) io.stdout(line);
      for (const line of result.err) io.stderr(line);
      exit(result.code);
    });
  return conventional(command, io, ADOPT_EXIT_CODES);
}

export function runAdoptCommand(argv: readonly string[], io: PlanIo): Promise<number> {
  return runCommand((exit) => adoptCommand(io, exit), argv, io);
}
