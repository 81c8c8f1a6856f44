// Entry point of `npm run plan`, `apply`, `stacks` and `adopt`.
import { processIo, runPlanCommand } from "./plan-command";

runPlanCommand(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
