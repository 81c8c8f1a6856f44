// Entry point of `npm run plan`, `apply`, `stacks` and `adopt`: the first argument names the command.
import { runAdoptCommand } from "./adopt-command";
import { runApplyCommand } from "./apply-command";
import { runMoveCommand } from "./move-command";
import { runPlanCommand } from "./plan-command";
import { type PlanIo, processIo } from "./plan-io";
import { runStacksCommand } from "./stacks-command";

const COMMANDS: Record<string, (argv: readonly string[], io: PlanIo) => Promise<number>> = {
  plan: runPlanCommand,
  apply: runApplyCommand,
  stacks: runStacksCommand,
  adopt: runAdoptCommand,
  move: runMoveCommand,
};

const [name, ...argv] = process.argv.slice(2);
const io = processIo();
const command = COMMANDS[name ?? ""];
if (command) {
  command(argv, io).then((code) => {
    process.exitCode = code;
  });
} else {
  io.stderr(
    `usage: node dist/plan.js <${Object.keys(COMMANDS).join("|")}> [arguments]: use npm run plan, apply, stacks, adopt or move`,
  );
  process.exitCode = 2;
}
