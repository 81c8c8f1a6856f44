/**
 * `npm run adopt`: keeps what existing destination bucket policies have by writing their
 * statements into the config (`destinationPolicies.<bucket>.additionalStatements`, or
 * `sharedDestinations.<bucket>.additionalStatements`), so the synthesized policy carries them and
 * every later apply keeps them. The file is edited in place, not rewritten: each statement is
 * inserted where it belongs with the file's own indentation, before an existing entry rather than
 * after the last one (which would add a comma to a line already there), so the pull-request diff
 * shows only the added lines. The file is only written when the result is a valid config.
 * @see https://github.com/microsoft/node-jsonc-parser#readme (modify, applyEdits)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { applyEdits, type FormattingOptions, findNodeAtLocation, modify, type Node, parseTree } from "jsonc-parser";
import { loadCheckedConfig, validateCheckedConfig } from "../checked-model";
import { configFileFromEnv } from "../config/loader";
import type { Model } from "../config/model";
import { visible } from "../escape/visible";
import type { Json } from "../json";
import type { ClientsFor } from "../ops/aws-clients";
import { PlanError } from "./run-plan";
import type { ConfigPath, RemovedStatement, Takeover } from "./takeover";
import { checkTakeover } from "./takeover-check";
import { pathText } from "./takeover-report";

/** Statement ids the config accepts (IAM's own rule for Sid). */
const SID = /^[A-Za-z0-9]*$/;

export interface Adoption {
  /** The config file's text with the statements added. */
  readonly text: string;
  readonly adopted: ReadonlyArray<{ readonly bucket: string; readonly sid?: string }>;
  /** Statements that cannot be carried as they are, with why. */
  readonly skipped: readonly string[];
}

/** The indentation the file uses, so inserted lines look like their neighbours. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return indent.startsWith("\t")
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}

/**
 * Inserts `key: value` (or an array element, without key) as whole lines before `node`, when
 * the node starts its own line: the lines added carry their own comma and nothing else moves.
 */
function insertLinesBefore(text: string, node: Node, key: string | undefined, value: unknown): string | undefined {
  const lineStart = text.lastIndexOf("\n", node.offset - 1) + 1;
  const indent = text.slice(lineStart, node.offset);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const { insertSpaces, tabSize, eol } = formattingOf(text);
  const unit = insertSpaces ? " ".repeat(tabSize ?? 2) : "\t";
  const rendered = JSON.stringify(value, null, unit).split("\n").join(`${eol}${indent}`);
  const head = key === undefined ? "" : `${JSON.stringify(key)}: `;
  return `${text.slice(0, lineStart)}${indent}${head}${rendered},${eol}${text.slice(lineStart)}`;
}

/** The path's deepest part that the file has, and the rest of the path. */
function deepestExisting(tree: Node | undefined, path: ConfigPath): { node: Node | undefined; rest: ConfigPath } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = tree && findNodeAtLocation(tree, [...path.slice(0, depth)]);
    if (node) return { node, rest: path.slice(depth) };
  }
  return { node: undefined, rest: path };
}

/**
 * Inserts statements into the array at `path`, made with its parents if missing: as lines before
 * the array's first element, or before the last property of the deepest object that exists.
 * Where the file has no line to insert before (an empty or one-line container), jsonc-parser's
 * edit is used, which also touches the container's line.
 */
function insertStatements(text: string, path: ConfigPath, statements: readonly Json[]): string {
  const tree = parseTree(text);
  const { node, rest } = deepestExisting(tree, path);
  if (node && rest.length === 0 && node.type === "array" && node.children?.length) {
    const lines = statements.reduce<string | undefined>(
      (edited, statement) =>
        edited === undefined ? undefined : insertLinesBefore(edited, firstElement(edited, path), undefined, statement),
      text,
    );
    if (lines !== undefined) return lines;
  }
  if (node && rest.length > 0 && node.type === "object" && node.children?.length) {
    const value = rest.slice(1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), statements);
    const last = node.children[node.children.length - 1];
    const lines = insertLinesBefore(text, last, String(rest[0]), value);
    if (lines !== undefined) return lines;
  }
  return fallbackInsert(text, path, statements);
}

function firstElement(text: string, path: ConfigPath): Node {
  return findNodeAtLocation(parseTree(text) as Node, [...path, 0]) as Node;
}

function fallbackInsert(text: string, path: ConfigPath, statements: readonly Json[]): string {
  const formattingOptions = formattingOf(text);
  const { rest } = deepestExisting(parseTree(text), path);
  if (rest.length === 0) {
    return statements.reduce(
      (edited, statement, i) =>
        applyEdits(edited, modify(edited, [...path, i], statement, { formattingOptions, isArrayInsertion: true })),
      text,
    );
  }
  const at = path.slice(0, path.length - rest.length + 1);
  const value = rest.slice(1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), statements);
  return applyEdits(text, modify(text, [...at], value, { formattingOptions }));
}

/** Adds each statement the apply would remove to its bucket's additionalStatements, in the file's text. */
export function adoptStatements(text: string, takeovers: readonly Takeover[]): Adoption {
  const adopted: Array<{ bucket: string; sid?: string }> = [];
  const skipped: string[] = [];
  const byPath = new Map<string, { path: ConfigPath; statements: RemovedStatement[] }>();
  for (const takeover of takeovers) {
    for (const removed of takeover.removedStatements) {
      const path = [...(removed.keepAt ?? []), "additionalStatements"];
      if (removed.sid !== undefined && !SID.test(removed.sid)) {
        skipped.push(
          `${removed.bucket}: statement Sid ${JSON.stringify(removed.sid)} has characters other than letters and digits: copy it into ${pathText(path)} with a new Sid`,
        );
        continue;
      }
      const group = byPath.get(JSON.stringify(path)) ?? { path, statements: [] };
      group.statements.push(removed);
      byPath.set(JSON.stringify(path), group);
      adopted.push({ bucket: removed.bucket, sid: removed.sid });
    }
  }
  let edited = text;
  for (const { path, statements } of byPath.values()) {
    edited = insertStatements(
      edited,
      path,
      statements.map((s) => s.statement),
    );
  }
  return { text: edited, adopted, skipped };
}

export interface AdoptEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly clients: (model: Model) => Promise<ClientsFor>;
}

export interface AdoptResult {
  /** 0 everything kept; 1 something could not be adopted (said on stderr). */
  readonly code: number;
  readonly out: readonly string[];
  readonly err: readonly string[];
}

/** `npm run adopt [-- <stack>...]`: the statements the apply would remove go into the config file. */
export async function adopt(stacks: readonly string[], environment: AdoptEnvironment): Promise<AdoptResult> {
  const file = configFileFromEnv(environment.env);
  const model = loadCheckedConfig(file, environment.env);
  const names = model.stacks.map((s) => s.name);
  const unknown = stacks.filter((s) => !names.includes(s));
  if (unknown.length > 0) throw new PlanError(`no stack ${unknown.join(", ")}: use one of ${names.join(", ")}`);
  const clients = await environment.clients(model);
  const takeovers: Takeover[] = [];
  for (const stack of stacks.length > 0 ? stacks : names) {
    takeovers.push(await checkTakeover(model, stack, clients, false));
  }
  const adoption = adoptStatements(readFileSync(file, "utf8"), takeovers);
  const out: string[] = [];
  const err = adoption.skipped.map((line) => `adopt: not adopted: ${visible(line)}`);
  if (adoption.adopted.length > 0) {
    validateCheckedConfig(JSON.parse(adoption.text), file, environment.env);
    writeFileSync(file, adoption.text);
  }
  for (const a of adoption.adopted) {
    out.push(`${file}: kept ${a.sid ? `Sid ${a.sid}` : "a statement without Sid"} of ${a.bucket}'s bucket policy`);
  }
  const rules = takeovers.flatMap((takeover) => takeover.removedRules);
  for (const r of rules) {
    err.push(
      `adopt: replication rule ${visible(r.id)} of ${r.bucket} is not in the config: add it to the rules by hand, or set replaceExistingRules`,
    );
  }
  if (adoption.adopted.length === 0) out.push("adopt: no bucket policy statement to keep");
  return { code: adoption.skipped.length > 0 || rules.length > 0 ? 1 : 0, out, err };
}
