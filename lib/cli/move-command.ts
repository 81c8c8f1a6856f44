/**
 * `npm run move -- --from <layout>`: writes what moves the applied stacks of the old layout into
 * the config's layout (imports into the new roots, `removed` blocks for the old ones) and prints
 * the order to apply them. It reads the old stacks' states and writes files; it applies nothing.
 */
import { Command, Option } from "commander";
import { move } from "../plan/move-run";
import { conventional, type PlanIo, planEnvironment, runCommand } from "./plan-io";
import { runSynth } from "./synth";

export const MOVE_EXIT_CODES =
  "Exit codes: 0 written (or nothing to move); 1 a state could not be read; 2 bad input, or a resource no new stack holds (nothing written).";

export function moveCommand(io: PlanIo, exit: (code: number) => void): Command {
  const command = new Command("npm run move --")
    .description(
      "Move applied stacks from the layout they were applied with (--from) to the config's stackLayout, destroying nothing: for each resource, an import block into the stack that holds it now (its id read from the old stack's state) and a removed block (destroy = false) for the old stack, then the order to apply them.",
    )
    .addOption(
      new Option("--from <layout>", "the layout the stacks were applied with")
        .choices(["per-bucket", "per-account", "single"])
        .makeOptionMandatory(),
    )
    .addOption(new Option("--out <dir>", "where the import and retirement directories go").default("move"))
    .action(async (options: { from: "per-bucket" | "per-account" | "single"; out: string }) => {
      const environment = {
        ...planEnvironment(io, 1),
        synthConfig: (configFile: string, outdir: string) =>
          runSynth({
            env: { ...io.env, REPLICATION_CONFIG: configFile, CDKTF_OUTDIR: outdir },
            stdout: io.stderr,
            stderr: io.stderr,
            quiet: true,
          }) === 0,
      };
      const result = await move({ from: options.from, out: options.out }, environment);
      for (const line of result.lines) io.stdout(line);
      exit(result.code);
    });
  return conventional(command, io, MOVE_EXIT_CODES);
}

export function runMoveCommand(argv: readonly string[], io: PlanIo): Promise<number> {
  return runCommand((exit) => moveCommand(io, exit), argv, io);
}
