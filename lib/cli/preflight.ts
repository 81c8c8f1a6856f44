// Entry point of `npm run preflight`.
import { runPreflightCommand } from "./preflight-command";

runPreflightCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
}).then((code) => {
  process.exitCode = code;
});
