// Entry point of the cdktf app (cdktf.json runs the compiled dist/main.js).
import { runSynth } from "./lib/cli/synth";

process.exitCode = runSynth({
  env: process.env,
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
