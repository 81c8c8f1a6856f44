/**
 * What every command of the project answers the same way: `--help` prints its usage to stdout and
 * exits 0 without doing anything else, `--version` prints the project's version and exits 0.
 * Commands built with commander get the same through `program.version(VERSION_TEXT)`.
 */
import packageJson from "../../package.json";

export const VERSION_TEXT = `${packageJson.name} ${packageJson.version}`;

/** Exit codes shared by the commands. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface StandardIo {
  readonly stdout: (text: string) => void;
}

/**
 * Answers `--help`/`-h` and `--version` before a command parses anything else; returns the exit
 * code when it answered, undefined when the command should run.
 */
export function answerStandardFlags(argv: readonly string[], io: StandardIo, usage: string): number | undefined {
  const flags = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length);
  if (flags.includes("--help") || flags.includes("-h")) {
    io.stdout(usage);
    return EXIT.ok;
  }
  if (flags.includes("--version")) {
    io.stdout(VERSION_TEXT);
    return EXIT.ok;
  }
  return undefined;
}
