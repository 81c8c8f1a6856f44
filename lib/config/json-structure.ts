/**
 * What JSON.parse does not say about a file: a key written twice in one object (JSON.parse keeps
 * the last one silently) and nesting deeper than any config needs (free-form policy statements
 * could otherwise nest until a recursive step overflows the stack). The scan is iterative, so
 * any depth is safe to read.
 */
import type { ConfigIssue } from "./config-error";

/** The deepest a valid config goes is about 10 levels (a policy condition's value list). */
export const MAX_DEPTH = 32;

type Path = Array<string | number>;

interface Frame {
  readonly kind: "object" | "array";
  readonly path: Path;
  readonly keys: Set<string>;
  key?: string;
  index: number;
  expectingKey: boolean;
}

/** The index just past the string literal that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let j = quote - 1; text[j] === "\\"; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

export interface JsonStructure {
  readonly duplicateKeys: ConfigIssue[];
  /** Set when the text nests deeper than MAX_DEPTH; the scan stops there. */
  readonly tooDeep?: ConfigIssue;
}

/** Duplicate keys and excessive depth in text that JSON.parse accepted. */
export function jsonStructure(text: string): JsonStructure {
  const issues: ConfigIssue[] = [];
  const stack: Frame[] = [];
  const valuePath = (): Path => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    return top.kind === "object" ? [...top.path, top.key ?? ""] : [...top.path, top.index];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "{" || c === "[") {
      const path = valuePath();
      if (stack.length >= MAX_DEPTH) {
        const tooDeep = {
          path,
          message: `is nested more than ${MAX_DEPTH} levels deep: no setting needs that many (a policy condition is about 10 levels down); flatten it`,
        };
        return { duplicateKeys: issues, tooDeep };
      }
      stack.push({ kind: c === "{" ? "object" : "array", path, keys: new Set(), index: 0, expectingKey: c === "{" });
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      i++;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.kind === "array") top.index++;
      if (top?.kind === "object") top.expectingKey = true;
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === "object" && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) {
          issues.push({
            path: [...top.path, key],
            message:
              "is written twice in one object: JSON keeps only the last, so the first would be ignored; remove one",
          });
        }
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end;
    } else {
      i++;
    }
  }
  return { duplicateKeys: issues };
}
