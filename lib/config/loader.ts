/**
 * Config file -> validated model. Every problem is collected and thrown as one ConfigError;
 * nothing is synthesized from a bad file. In order: the bytes (encoding), the JSON (syntax,
 * duplicate keys, depth), values no field can hold (reserved-values.ts), the schema and the
 * cross-field checks together. The sizes of the documents the model gives are checked above this
 * layer, where the policy builders are (lib/checked-model.ts).
 * Probable mistakes that do not stop a synth become the model's warnings (warnings.ts).
 */
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { ConfigError, type ConfigIssue, formatPath } from "./config-error";
import { allowedKeysAt, didYouMean } from "./did-you-mean";
import { configJsonSchema } from "./json-schema";
import { type JsonStructure, jsonStructure } from "./json-structure";
import { type Model, toModel } from "./model";
import { partialConfig } from "./partial-config";
import { pipelineCredentials } from "./pipeline-credentials";
import { reservedValueIssues } from "./reserved-values";
import { configSchema } from "./schema";
import { semanticIssues } from "./semantic-checks";
import { decodeConfigText } from "./text-encoding";
import { configWarnings } from "./warnings";

export const DEFAULT_CONFIG_FILE = "replication.config.json";

/** The config file named by REPLICATION_CONFIG, or the embedded default. */
export function configFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.REPLICATION_CONFIG?.trim() || DEFAULT_CONFIG_FILE;
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "the file does not exist"
        : code === "EISDIR"
          ? "it is a directory, not a file"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    throw new ConfigError(file, [
      {
        path: [],
        message: `cannot read the config file (${reason}): create it, or point REPLICATION_CONFIG at an existing file`,
      },
    ]);
  }
  const decoded = decodeConfigText(bytes);
  if ("problem" in decoded) throw new ConfigError(file, [{ path: [], message: decoded.problem }]);
  return decoded.text;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parseJson(file: string, text: string): { value: unknown; structure: JsonStructure } {
  try {
    return { value: JSON.parse(text), structure: jsonStructure(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : "";
    throw new ConfigError(file, [
      { path: [], message: `the file is not valid JSON${where} (${message}): fix the syntax there` },
    ]);
  }
}

function article(type: string): string {
  return /^[aeio]/.test(type) ? `an ${type}` : `a ${type}`;
}

function schemaIssues(error: z.ZodError, value: unknown): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(configJsonSchema() as never, path, value);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, allowed);
        const fix = suggestion ? `did you mean "${suggestion}"?` : `allowed keys here: ${allowed.join(", ")}`;
        return { path: [...path, key], message: `unknown key: ${fix}` };
      });
    }
    if (issue.code === "invalid_key") {
      // A record key (an account name, a tag key) that its key schema refused: say why.
      return issue.issues.map((inner) => ({ path, message: inner.message }));
    }
    const received = /received (-?\w+)/.exec(issue.message)?.[1];
    if (issue.code === "invalid_type" && received) {
      if (received === "undefined") return [{ path, message: "is required" }];
      const hint = issue.expected === "string" && received === "number" ? ": put the value in quotes" : "";
      return [{ path, message: `must be ${article(issue.expected)}, not ${article(received)}${hint}` }];
    }
    if (issue.code === "invalid_union" && "discriminator" in issue && "options" in issue) {
      const options = (issue.options as unknown[]).map((o) => JSON.stringify(o)).join(" or ");
      return [{ path, message: `must be ${options}` }];
    }
    return [{ path, message: issue.message }];
  });
}

/**
 * The raw-value problems, then the schema's about other paths: at a path the raw checks already
 * explain (1e400, say), the schema's message ("must be a number") would only confuse.
 */
function rawThenSchema(raw: readonly ConfigIssue[], schema: readonly ConfigIssue[]): ConfigIssue[] {
  const explained = new Set(raw.map((issue) => formatPath(issue.path)));
  return [...raw, ...schema.filter((issue) => !explained.has(formatPath(issue.path)))];
}

/**
 * Validates already-parsed config; `file` names it in errors. `env` may replace accounts'
 * credentials with roles to assume, for pipelines (see pipeline-credentials.ts). Schema problems
 * and cross-field problems are reported together: when the schema fails, the cross-field checks
 * run on the parts that passed it (see partial-config.ts).
 */
export function validateConfig(
  value: unknown,
  file: string,
  env: NodeJS.ProcessEnv = {},
  structureIssues: readonly ConfigIssue[] = [],
): Model {
  const rawIssues = [...structureIssues, ...reservedValueIssues(value)];
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const partial = partialConfig(value);
    const semantic = partial ? partial.issues(semanticIssues(pipelineCredentials(partial.config, env).config)) : [];
    throw new ConfigError(file, [...rawThenSchema(rawIssues, schemaIssues(parsed.error, value)), ...semantic]);
  }
  const { config, issues: envIssues } = pipelineCredentials(parsed.data, env);
  const issues = [...rawIssues, ...envIssues, ...semanticIssues(config)];
  if (issues.length > 0) throw new ConfigError(file, issues);
  return toModel(config, configWarnings(config));
}

/** Reads and validates a config file. Throws ConfigError with every problem found. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = {}): Model {
  const { value, structure } = parseJson(file, readText(file));
  // Past the depth limit nothing else is read: the other checks walk the value recursively.
  if (structure.tooDeep) throw new ConfigError(file, [...structure.duplicateKeys, structure.tooDeep]);
  return validateConfig(value, file, env, structure.duplicateKeys);
}
