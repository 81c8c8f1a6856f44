// Entry point of the cdktf app (cdktf.json runs the compiled dist/main.js --run-by-cdktf) and of `npm run synth`.
import { runSynthCommand } from "./lib/cli/synth";

process.exitCode = runSynthCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
