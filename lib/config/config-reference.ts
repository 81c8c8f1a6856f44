/**
 * docs/config-reference.md, written from the JSON Schema of the config (json-schema.ts), so the
 * reference and the hover help editors show from replication.schema.json say the same words.
 * A field's description may end with lines that become columns or links here:
 *   `@default <text>`  the Default column;
 *   `@see <path>#<anchor>`  a link, the path from the repository root (a doc section).
 * The hand-written parts around the table are in config-reference.template.md.
 */
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { cellCode, markdownText } from "../escape/markdown";
import { configJsonSchema } from "./json-schema";

export const REFERENCE_FILE = "docs/config-reference.md";
const TEMPLATE_FILE = join(__dirname, "config-reference.template.md");
const TABLE_MARKER = "<!-- the field table -->";

interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly oneOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
}

interface FieldRow {
  readonly path: string;
  readonly required: string;
  readonly node: SchemaNode;
}

/** Every field, parent before child, in the schema's own order. */
function fieldRows(node: SchemaNode, prefix: string, requiredWhen = "yes"): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    rows.push({ path, required: node.required?.includes(key) ? requiredWhen : "no", node: child });
    rows.push(...childRows(child, path));
  }
  return rows;
}

/** The field of a union's branch that holds a constant (the backend's "type"). */
function tagOf(branch: SchemaNode): [string, unknown] | undefined {
  const found = Object.entries(branch.properties ?? {}).find(([, p]) => p.const !== undefined);
  return found && [found[0], found[1].const];
}

function childRows(node: SchemaNode, path: string): FieldRow[] {
  if (node.oneOf) {
    // A union tagged by a constant field: one row for the tag, naming each branch, then the other
    // fields of each branch, required only in that branch.
    const tagged = node.oneOf.map((branch) => ({ branch, tag: tagOf(branch) }));
    const tagName = tagged[0]?.tag?.[0];
    if (!tagName || tagged.some(({ tag }) => tag?.[0] !== tagName)) throw new Error(`${path}: an untagged union`);
    const description = tagged
      .map(({ branch, tag }) => `\`${JSON.stringify(tag?.[1])}\`: ${branch.description ?? ""}`)
      .join(" ");
    const tagRow: FieldRow = { path: `${path}.${tagName}`, required: "yes", node: { description } };
    return [
      tagRow,
      ...tagged.flatMap(({ branch, tag }) =>
        fieldRows(branch, `${path}.`, `with ${cellCode(JSON.stringify(tag?.[1]))}`).filter(
          (row) => row.path !== tagRow.path,
        ),
      ),
    ];
  }
  if (node.items) {
    const item = node.items;
    // Policy statements are kept verbatim: their own fields are IAM's, not this config's.
    return item.additionalProperties === false ? fieldRows(item, `${path}[].`) : [];
  }
  if (typeof node.additionalProperties === "object" && node.additionalProperties.properties) {
    const entry = node.additionalProperties;
    return [{ path: `${path}.<name>`, required: "–", node: entry }, ...fieldRows(entry, `${path}.<name>.`)];
  }
  return fieldRows(node, `${path}.`);
}

/** Text with `code spans` kept and everything else shown as itself. */
function cellText(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? cellCode(part.slice(1, -1)) : markdownText(part)))
    .join("");
}

/** A repository path with an anchor, as a link from docs/. */
function seeLink(target: string): string {
  const [path, anchor] = target.split("#");
  const relative = posix.relative("docs", path) || posix.basename(path);
  const title = anchor ? anchor.replace(/-/g, " ") : path;
  return `[${markdownText(title)}](${relative}${anchor ? `#${anchor}` : ""})`;
}

function meaningOf(node: SchemaNode): { meaning: string; fallback: string } {
  // An array's item, or a map's entry, describes what the field holds when the field says nothing.
  const described = node.description ?? node.items?.description ?? "";
  const lines = described.split("\n");
  const text = lines.filter((l) => !l.startsWith("@")).join(" ");
  // "@default - text": the dash of TSDoc's style says there is no literal default value.
  const defaults = lines
    .filter((l) => l.startsWith("@default "))
    .map((l) => l.slice("@default ".length).replace(/^- /, ""));
  const sees = lines.filter((l) => l.startsWith("@see ")).map((l) => seeLink(l.slice("@see ".length)));
  const values = node.enum
    ? ` One of ${node.enum.map((v) => cellCode(JSON.stringify(v))).join(", ")}.`
    : node.const !== undefined
      ? ` ${cellCode(JSON.stringify(node.const))}.`
      : "";
  const see = sees.length > 0 ? ` See ${sees.join(", ")}.` : "";
  return { meaning: `${cellText(text)}${values}${see}`.trim(), fallback: defaults.map(defaultText).join("; ") };
}

/** A literal that starts a default (`false`, `900`, `"destination"`, `s3-replication-*`), then its gloss. */
const LITERAL = /^("[^"]*"|true|false|\d+|[\w.{}*]*[/*{-][\w./{}*-]*)(?=$|[ :;,])/;

function defaultText(text: string): string {
  const literal = text.includes("`") ? undefined : LITERAL.exec(text)?.[1];
  return literal ? `${cellCode(literal)}${cellText(text.slice(literal.length))}` : cellText(text);
}

/** The field table: one row per field, its columns padded so the file reads as a table too. */
export function fieldTable(): string {
  const rows = fieldRows(configJsonSchema() as SchemaNode, "").map(({ path, required, node }) => {
    const { meaning, fallback } = meaningOf(node);
    return [cellCode(path), required, fallback || "–", meaning || "–"];
  });
  const header = ["field", "required", "default", "meaning"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The whole of docs/config-reference.md. */
export function configReferenceText(): string {
  const template = readFileSync(TEMPLATE_FILE, "utf8");
  if (!template.includes(TABLE_MARKER)) throw new Error(`${TEMPLATE_FILE} lost its marker ${TABLE_MARKER}`);
  return template.replace(TABLE_MARKER, fieldTable());
}
