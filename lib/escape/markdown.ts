/**
 * Markdown (GitHub Flavored) built from text the project does not control: rule ids, prefixes,
 * bucket names, live policy statements. Such text must never close the construct it is put in
 * (a code span, a code block, a table cell) or start one of its own (a heading, an HTML comment,
 * an image). Every value goes through one of these functions.
 * @see https://github.github.com/gfm/
 */
import { visible } from "./visible";

/** The longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * A code span: delimited by more backticks than the text holds, padded where it starts or ends
 * with one, on one line (a line break would let the next line start a block of its own).
 */
export function inlineCode(text: string): string {
  const shown = visible(text);
  const fence = "`".repeat(longestBacktickRun(shown) + 1);
  const pad = shown.startsWith("`") || shown.endsWith("`") || shown.startsWith(" ") ? " " : "";
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A code span inside a table cell, where an unescaped `|` would end the cell. */
export function cellCode(text: string): string {
  return inlineCode(text).replace(/\|/g, "\\|");
}

/** Characters that open or close inline markup, HTML, entities, links and tables. */
const MARKUP = /[\\`*_[\]<>&|~#!]/g;

/** Plain text, on one line, with every character that could be markup shown as itself. */
export function markdownText(text: string): string {
  return visible(text).replace(MARKUP, (c) => `\\${c}`);
}

/**
 * A fenced code block, indented by `indent` (inside a list item): the fence is longer than any
 * run of backticks in the text, so no line of it can close the block.
 */
export function codeBlock(text: string, info = "", indent = ""): string {
  const lines = text.split("\n").map(visible);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(lines.join("\n")) + 1));
  return [`${fence}${info}`, ...lines, fence].map((line) => `${indent}${line}`).join("\n");
}
