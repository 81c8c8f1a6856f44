/**
 * Text inside the HTML the plan summary uses (`<details>`, `<summary>`, `<code>`): every
 * character HTML or GitHub's table syntax reads is written as an entity, and invisible
 * characters as escapes, so the text can neither open a tag or comment nor end the line.
 * @see https://html.spec.whatwg.org/multipage/syntax.html#character-references
 */
import { visible } from "./visible";

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
  "|": "&#124;",
};

export function htmlText(text: string): string {
  return visible(text).replace(/[&<>"'`|]/g, (c) => ENTITIES[c]);
}
