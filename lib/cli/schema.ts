// Entry point of `npm run schema`.
import { runSchemaCommand } from "./write-schema";

process.exitCode = runSchemaCommand(process.argv.slice(2), {
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
});
