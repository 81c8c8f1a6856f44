import { visible } from "../escape/visible";

/** A problem in the config file, with the JSON path it is about. */
export interface ConfigIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Values echoed in messages are cut to this many characters, so a huge value stays readable. */
export const SHOWN_VALUE_LENGTH = 64;

/** A long value's start and its length; short values as they are. */
export function shorten(value: string): string {
  if (value.length <= SHOWN_VALUE_LENGTH) return value;
  return `${value.slice(0, SHOWN_VALUE_LENGTH)}... (${value.length.toLocaleString("en-US")} characters)`;
}

/** Every quoted value in a message, shortened. */
function shortenQuoted(message: string): string {
  return message.replace(/"([^"]*)"/g, (quoted, value: string) =>
    value.length > SHOWN_VALUE_LENGTH ? `"${shorten(value)}"` : quoted,
  );
}

/** `replications[0].rules[1].priority`; keys that are not identifiers are quoted. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment) && segment.length <= SHOWN_VALUE_LENGTH) {
        return i === 0 ? segment : `.${segment}`;
      }
      return `[${JSON.stringify(shorten(segment))}]`;
    })
    .join("");
}

/** Every problem found in a config file; thrown before anything is synthesized. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      [
        `${file}: ${issues.length} problem${issues.length === 1 ? "" : "s"}; nothing was synthesized.`,
        // Messages echo config values: a control character must not reach the terminal as itself.
        ...issues.map((issue) => visible(`  - ${formatPath(issue.path)}: ${shortenQuoted(issue.message)}`)),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}
