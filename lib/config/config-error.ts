/** A problem in the config file, with the JSON path it is about. */
export interface ConfigIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** `replications[0].rules[1].priority`; keys that are not identifiers are quoted. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
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
        ...issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}
