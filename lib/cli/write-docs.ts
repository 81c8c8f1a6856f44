/** `npm run docs`: regenerates docs/config-reference.md from the config schema's descriptions. */
import { configReferenceText, REFERENCE_FILE } from "../config/config-reference";
import { type GeneratedFileIo, generatedFileUsage, runGeneratedFileCommand } from "./generated-file-command";

export const DOCS_USAGE = generatedFileUsage(
  "docs",
  `Regenerates ${REFERENCE_FILE} from the descriptions in lib/config/schema.ts and the hand-written
parts in lib/config/config-reference.template.md (a test fails when the committed file is stale).`,
);

export function runDocsCommand(argv: readonly string[], io: GeneratedFileIo): number {
  return runGeneratedFileCommand(
    { name: "docs", file: REFERENCE_FILE, usage: DOCS_USAGE, text: configReferenceText },
    argv,
    io,
  );
}
