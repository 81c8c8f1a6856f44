// Entry point of `npm run plan` and `npm run apply`.
import { runPlanCommand } from "./plan-command";

runPlanCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
}).then((code) => {
  process.exitCode = code;
});
