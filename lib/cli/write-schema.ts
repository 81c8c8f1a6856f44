/** `npm run schema`: regenerates replication.schema.json from the zod schema. */
import { configJsonSchemaText } from "../config/json-schema";
import { type GeneratedFileIo, generatedFileUsage, runGeneratedFileCommand } from "./generated-file-command";

export const SCHEMA_FILE = "replication.schema.json";

export const SCHEMA_USAGE = generatedFileUsage(
  "schema",
  `Regenerates ${SCHEMA_FILE} (the JSON Schema editors use for the config file) from the config schema.`,
);

export function runSchemaCommand(argv: readonly string[], io: GeneratedFileIo): number {
  return runGeneratedFileCommand(
    { name: "schema", file: SCHEMA_FILE, usage: SCHEMA_USAGE, text: configJsonSchemaText },
    argv,
    io,
  );
}
