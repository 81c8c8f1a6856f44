/** The project's Markdown documents, their headings' anchors and their links, as GitHub reads them. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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

/** The text outside fenced code blocks and code spans: what GitHub renders as links and headings. */
export function prose(markdown: string): string {
  return markdown
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
    .replace(/(`+)[\s\S]*?\1/g, "")
    .replace(/<!--[\s\S]*?-->/g, "");
}

/**
 * GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, `_`, `-` and
 * spaces stay), spaces as `-`; a repeated heading gets `-1`, `-2`, ... Code spans keep their text.
 */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const withoutBlocks = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "");
  return [...withoutBlocks.matchAll(/^#{1,6} +(.+?) *#* *$/gm)].map((m) => {
    const slug = m[1]
      .replace(/`/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_ -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  });
}

/** Every inline link target `[text](target)` of the rendered text. */
export function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?: +"[^"]*")?\)/g)].map((m) => m[1]);
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
