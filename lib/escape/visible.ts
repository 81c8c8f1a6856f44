/**
 * Characters that do not show as themselves: controls (C0, DEL, C1), line and paragraph
 * separators, and Unicode format characters (bidi overrides and isolates, zero-width characters,
 * the soft hyphen, the byte-order mark). In a terminal a control can move the cursor or recolour
 * what follows; in Markdown a line break starts a new block; a bidi override makes text display in
 * another order than it is stored (CVE-2021-42574, "Trojan Source"). Every output language module
 * turns them into a visible escape first.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `U+000A`: how a message names a character. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The first invisible character of a text, if any. */
export function firstInvisible(text: string): string | undefined {
  return new RegExp(INVISIBLE.source, "u").exec(text)?.[0];
}

/** The text with each invisible character written as an escape: `\n`, `\t`, `\u202e`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (character) => {
    if (SHORT[character]) return SHORT[character];
    const code = character.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Text for a terminal: line breaks kept, every other invisible character escaped. */
export function visibleLines(text: string): string {
  return text.split("\n").map(visible).join("\n");
}
