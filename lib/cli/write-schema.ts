/** `npm run schema`: regenerates replication.schema.json from the zod schema. */
import { writeFileSync } from "node:fs";
import { configJsonSchemaText } from "../config/json-schema";
import { answerStandardFlags, EXIT } from "./conventions";

export const SCHEMA_FILE = "replication.schema.json";

export const SCHEMA_USAGE = `usage: npm run schema [-- --stdout]

Regenerates ${SCHEMA_FILE} (the JSON Schema editors use for the config file) from the config schema.
  --stdout     print the schema instead of writing the file
  --version    print the version
Exit codes: 0 written, 2 bad arguments.`;

export function runSchemaCommand(
  argv: readonly string[],
  io: { stdout: (t: string) => void; stderr: (t: string) => void; write?: (file: string, text: string) => void },
): number {
  const answered = answerStandardFlags(argv, io, SCHEMA_USAGE);
  if (answered !== undefined) return answered;
  const unknown = argv.filter((a) => a !== "--stdout");
  if (unknown.length > 0) {
    io.stderr(`schema: unknown argument ${unknown.join(" ")}\n\n${SCHEMA_USAGE}`);
    return EXIT.usage;
  }
  if (argv.includes("--stdout")) {
    io.stdout(configJsonSchemaText().trimEnd());
    return EXIT.ok;
  }
  (io.write ?? writeFileSync)(SCHEMA_FILE, configJsonSchemaText());
  io.stdout(`wrote ${SCHEMA_FILE}`);
  return EXIT.ok;
}
