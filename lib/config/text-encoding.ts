/**
 * Config files are UTF-8 JSON (RFC 8259 requires it between systems). Editors on Windows may
 * save UTF-16 or UTF-32, which read as UTF-8 give garbled text and a misleading syntax error:
 * the encoding is named instead.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-8.1
 */

/** The encoding a byte-order mark or the NUL pattern of the first bytes reveals, if not UTF-8. */
export function foreignEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return "UTF-32 (big-endian)";
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return "UTF-32 (little-endian)";
  if (a === 0xfe && b === 0xff) return "UTF-16 (big-endian)";
  if (a === 0xff && b === 0xfe) return "UTF-16 (little-endian)";
  // JSON starts with an ASCII character, so UTF-16 without a mark has a NUL byte beside it.
  if (bytes.length >= 2 && a === 0x00 && b !== 0x00) return "UTF-16 (big-endian)";
  if (bytes.length >= 2 && a !== 0x00 && b === 0x00) return "UTF-16 (little-endian)";
  return undefined;
}

export type DecodedText = { readonly text: string } | { readonly problem: string };

/** UTF-8 text without its byte-order mark, or what is wrong with the bytes. */
export function decodeConfigText(bytes: Uint8Array): DecodedText {
  const encoding = foreignEncoding(bytes);
  if (encoding) return { problem: `the file is ${encoding} text: save it as UTF-8` };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
    return { text: text.replace(/^\uFEFF/, "") };
  } catch {
    return { problem: "the file is not valid UTF-8 text: save it as UTF-8" };
  }
}
