// Entry point of `npm run operator-policy`.
import { runOperatorPolicyCommand } from "./operator-policy-command";

process.exitCode = runOperatorPolicyCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
});
