/** The project's Markdown documents, their headings' anchors and their links, as GitHub reads them. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";

const root = process.cwd();

/** Every document a reader is pointed at: README, CONTRIBUTING, docs/, help/, examples/. */
export function markdownDocs(): string[] {
  const inFolder = (folder: string) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder))
          .filter((f) => f.endsWith(".md"))
          .map((f) => `${folder}/${f}`)
      : [];
  return ["README.md", "CONTRIBUTING.md", ...inFolder("docs"), ...inFolder("help"), ...inFolder("examples")];
}

const parser = new MarkdownIt({ html: true });

/** The text of an inline token as GitHub renders it: code spans without their backticks. */
function renderedText(token: ReturnType<typeof parser.parse>[number]): string {
  return (token.children ?? [])
    .filter((child) => child.type === "text" || child.type === "code_inline")
    .map((child) => child.content)
    .join("");
}

/**
 * GitHub's anchor for each heading: the rendered text in lower case, punctuation dropped (letters,
 * digits, `_`, `-` and spaces stay), spaces as `-`; a repeated heading gets `-1`, `-2`, ...
 */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const tokens = parser.parse(markdown, {});
  return tokens.flatMap((token, i) => {
    if (token.type !== "heading_open") return [];
    const slug = renderedText(tokens[i + 1])
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_ -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return [count === 0 ? slug : `${slug}-${count}`];
  });
}

/** Every link target of the rendered document (inline links and reference definitions alike). */
export function linkTargets(markdown: string): string[] {
  return parser
    .parse(markdown, {})
    .flatMap((token) => token.children ?? [])
    .filter((token) => token.type === "link_open")
    .map((token) => String(token.attrGet("href") ?? ""));
}

export function readDoc(file: string): string {
  return readFileSync(join(root, file), "utf8");
}

/** The text of a document between a heading and the next heading of the same or a higher level. */
export function sectionOf(file: string, heading: string): string {
  const text = readDoc(file);
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`${file} has no heading ${JSON.stringify(heading)}`);
  const level = heading.indexOf(" ");
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end++) {
    if (lines[end].startsWith("```")) fenced = !fenced;
    const match = /^(#+) /.exec(lines[end]);
    if (!fenced && match && match[1].length <= level) break;
  }
  return lines.slice(start, end).join("\n");
}
