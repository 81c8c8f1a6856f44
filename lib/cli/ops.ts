// Entry point of `npm run doctor`, `npm run backfill` and `npm run status`.
import { runOps } from "./ops-program";

const interrupt = new AbortController();
process.once("SIGINT", () => {
  // The canary and the job watcher stop at their next step and clean up; a second Ctrl-C quits.
  process.stderr.write("\ninterrupted: cleaning up\n");
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

runOps(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
  isTTY: Boolean(process.stdout.isTTY),
  progressStream: process.stderr,
  exit: (code) => {
    process.exitCode = interrupt.signal.aborted ? 130 : code;
  },
  signal: interrupt.signal,
});
