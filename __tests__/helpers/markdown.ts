import MarkdownIt from "markdown-it";

/** A CommonMark parser with tables and raw HTML, as GitHub renders job summaries and comments. */
const parser = new MarkdownIt({ html: true });

export interface ReadToken {
  readonly type: string;
  readonly content: string;
  readonly tag: string;
}

/** Every token of a Markdown text as a renderer reads it, inline ones after their block. */
export function markdownTokens(markdown: string): ReadToken[] {
  return parser
    .parse(markdown, {})
    .flatMap((token) => [
      { type: token.type, content: token.content, tag: token.tag },
      ...(token.children ?? []).map((child) => ({ type: child.type, content: child.content, tag: child.tag })),
    ]);
}

/** The headings of a Markdown text, as `## text`. */
export function headings(markdown: string): string[] {
  const tokens = markdownTokens(markdown);
  return tokens.flatMap((token, i) =>
    token.type === "heading_open" ? [`${"#".repeat(Number(token.tag.slice(1)))} ${tokens[i + 1].content}`] : [],
  );
}

/** The raw HTML a Markdown text holds (blocks and inline), as a renderer would pass it through. */
export function rawHtml(markdown: string): string[] {
  return markdownTokens(markdown)
    .filter((t) => t.type === "html_block" || t.type === "html_inline")
    .map((t) => t.content.trim());
}
