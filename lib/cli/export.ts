// Entry point of `npm run export`.
import { runExportCommand } from "./export-command";

process.exitCode = runExportCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
});
