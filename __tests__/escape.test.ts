/**
 * One escaping module per output language: Markdown, HTML, Mermaid. Hostile text in each must
 * come out as text, read back by a real Markdown parser (markdown-it: CommonMark, tables, HTML).
 */
import { htmlText } from "../lib/escape/html";
import { cellCode, codeBlock, inlineCode, markdownText } from "../lib/escape/markdown";
import { mermaidId, mermaidText } from "../lib/escape/mermaid";
import { visible } from "../lib/escape/visible";
import { headings, markdownTokens, rawHtml } from "./helpers/markdown";

const HOSTILE = "everything\n```\n\n## All stacks: no changes <img src=x>\n\n<!--";

const types = (markdown: string) => markdownTokens(markdown).map((t) => t.type);

describe("visible", () => {
  test("writes controls, separators and format characters as escapes, and nothing else", () => {
    expect(visible("a\nb\tc\r\u001b[2J\u202e\u200b\u2028\u00ad\u{e0001}é日 ")).toBe(
      "a\\nb\\tc\\r\\u001b[2J\\u202e\\u200b\\u2028\\u00ad\\u{e0001}é日 ",
    );
  });
});

describe("Markdown", () => {
  test("a code span holds hostile text on one line, as text", () => {
    const span = inlineCode(HOSTILE);
    expect(span).toBe("````everything\\n```\\n\\n## All stacks: no changes <img src=x>\\n\\n<!--````");
    const read = markdownTokens(`see ${span} here`);
    expect(read.map((t) => t.type)).toEqual([
      "paragraph_open",
      "inline",
      "text",
      "code_inline",
      "text",
      "paragraph_close",
    ]);
    expect(read[3].content).toBe(visible(HOSTILE));
  });

  test("a code span keeps leading and trailing backticks and spaces", () => {
    for (const text of ["`a", "a`", "``", " a ", "a ` b"]) {
      const span = markdownTokens(`x ${inlineCode(text)}`).find((t) => t.type === "code_inline");
      expect(span?.content).toBe(text);
    }
  });

  test("a code span in a table cell does not end the cell", () => {
    const table = `| a | b |\n| --- | --- |\n| ${cellCode("x | y")} | z |`;
    const cells = markdownTokens(table).filter((t) => t.type === "code_inline" || t.type === "text");
    expect(cells.map((t) => [t.type, t.content])).toEqual([
      ["text", "a"],
      ["text", "b"],
      ["code_inline", "x | y"],
      ["text", "z"],
    ]);
  });

  test("plain text cannot open markup, HTML or a comment", () => {
    const text = "*a* _b_ [l](u) <img src=x> <!-- `c` &amp; # ~~s~~ | !";
    const read = markdownTokens(`x ${markdownText(text)}`);
    expect(read.map((t) => t.type)).toEqual(["paragraph_open", "inline", "text", "paragraph_close"]);
    expect(read[2].content).toBe(`x ${text}`);
    expect(types(`x ${markdownText(HOSTILE)}`)).toEqual(["paragraph_open", "inline", "text", "paragraph_close"]);
  });

  test("a code block cannot be closed by the text it holds", () => {
    const text = "a\n```\n## heading\n````\n<!--";
    const read = markdownTokens(`${codeBlock(text, "json")}\n\nafter`);
    expect(read.map((t) => t.type)).toEqual(["fence", "paragraph_open", "inline", "text", "paragraph_close"]);
    expect(read[0].content).toBe(`${text}\n`);
    expect(headings(`${codeBlock(HOSTILE)}\n\nafter`)).toEqual([]);
  });
});

describe("HTML", () => {
  test("entities for everything HTML or a table reads, escapes for the rest", () => {
    expect(htmlText(`<img src="x">&'\`|\n`)).toBe("&lt;img src=&quot;x&quot;&gt;&amp;&#39;&#96;&#124;\\n");
    const block = `<details><summary><code>${htmlText(HOSTILE)}</code></summary>\n\nafter\n\n</details>`;
    expect(rawHtml(block)).toEqual([`<details><summary><code>${htmlText(HOSTILE)}</code></summary>`, "</details>"]);
    expect(headings(block)).toEqual([]);
  });
});

describe("Mermaid", () => {
  test("labels hold only safe characters and Mermaid's entity codes", () => {
    expect(mermaidText('a "b" <img src=x> `x` #1; %% é\n')).toBe(
      "a #34;b#34; #60;img src=x#62; #96;x#96; #35;1#59; #37;#37; #233;#92;n",
    );
    expect(mermaidText(HOSTILE)).not.toMatch(/[`<>"\n]/);
  });

  test("node ids are letters, digits and _ and never collide", () => {
    const names = ["a-b", "a.b", "a_b", "a_2d_b", "a-2d-b", "ab"];
    const ids = names.map((n) => mermaidId("bucket", n));
    expect(ids.every((id) => /^[A-Za-z0-9_]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(names.length);
  });
});
