/**
 * A command that regenerates one committed file from the code (`npm run schema`, `npm run docs`):
 * it writes the file, or prints it with --stdout; a test compares the committed file with the text.
 */
import { writeFileSync } from "node:fs";
import { answerStandardFlags, EXIT } from "./conventions";

export interface GeneratedFileIo {
  readonly stdout: (t: string) => void;
  readonly stderr: (t: string) => void;
  readonly write?: (file: string, text: string) => void;
}

/** The usage of such a command: what it regenerates, from what, then the options every one takes. */
export function generatedFileUsage(name: string, what: string): string {
  return `usage: npm run ${name} [-- --stdout]

${what}
  --stdout     print the file's text instead of writing the file
  --version    print the version
Exit codes: 0 written, 2 bad arguments.`;
}

export function runGeneratedFileCommand(
  command: { name: string; file: string; usage: string; text: () => string },
  argv: readonly string[],
  io: GeneratedFileIo,
): number {
  const answered = answerStandardFlags(argv, io, command.usage);
  if (answered !== undefined) return answered;
  const unknown = argv.filter((a) => a !== "--stdout");
  if (unknown.length > 0) {
    io.stderr(`${command.name}: unknown argument ${unknown.join(" ")}\n\n${command.usage}`);
    return EXIT.usage;
  }
  if (argv.includes("--stdout")) {
    io.stdout(command.text().trimEnd());
    return EXIT.ok;
  }
  (io.write ?? writeFileSync)(command.file, command.text());
  io.stdout(`wrote ${command.file}`);
  return EXIT.ok;
}
