// Entry point of `npm run verify`.
import { processIo } from "./plan-io";
import { runVerifyCommand } from "./verify-command";

const interrupt = new AbortController();
process.once("SIGINT", () => {
  // The canary stops at its next step and removes its objects; a second Ctrl-C quits.
  process.stderr.write("\ninterrupted: cleaning up\n");
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

runVerifyCommand(process.argv.slice(2), { ...processIo(), signal: interrupt.signal }).then((code) => {
  process.exitCode = interrupt.signal.aborted ? 130 : code;
});
