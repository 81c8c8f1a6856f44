// Entry point of `npm run docs`.
import { runDocsCommand } from "./write-docs";

process.exitCode = runDocsCommand(process.argv.slice(2), {
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
});
