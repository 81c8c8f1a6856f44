/** `npm run schema`: regenerates replication.schema.json from the zod schema. */
import { configJsonSchemaText } from "../config/json-schema";
import { type GeneratedFileIo, runGeneratedFileCommand } from "./generated-file-command";

export const SCHEMA_FILE = "replication.schema.json";

export const SCHEMA_USAGE = `usage: npm run schema [-- --stdout]

Regenerates ${SCHEMA_FILE} (the JSON Schema editors use for the config file) from the config schema.
  --stdout     print the schema instead of writing the file
  --version    print the version
Exit codes: 0 written, 2 bad arguments.`;

export function runSchemaCommand(argv: readonly string[], io: GeneratedFileIo): number {
  return runGeneratedFileCommand(
    { name: "schema", file: SCHEMA_FILE, usage: SCHEMA_USAGE, text: configJsonSchemaText },
    argv,
    io,
  );
}
