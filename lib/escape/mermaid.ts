/**
 * Text inside a Mermaid flowchart (the topology diagram). Labels are quoted, and every character
 * outside a small safe set is written as Mermaid's entity code (`#35;`), so a label can close
 * neither its quotes nor the Markdown code fence around the diagram, nor inject HTML (Mermaid
 * renders labels as HTML). Node ids hold only letters, digits and `_`, one id per distinct name.
 * @see https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters
 */
import { visible } from "./visible";

const SAFE = /[A-Za-z0-9 .,:/@=+()_-]/;

/** Text for inside a quoted label. */
export function mermaidText(text: string): string {
  return Array.from(visible(text), (c) => (SAFE.test(c) ? c : `#${c.codePointAt(0)};`)).join("");
}

/** A quoted label from parts already escaped (so that the project's own `<br/>` stays markup). */
export function mermaidLabel(escaped: string): string {
  return `"${escaped}"`;
}

/** A node id: letters and digits kept, everything else (and `_` itself) coded, so names never collide. */
export function mermaidId(prefix: string, name: string): string {
  return `${prefix}_${Array.from(name, (c) => (/[A-Za-z0-9]/.test(c) ? c : `_${(c.codePointAt(0) ?? 0).toString(16)}_`)).join("")}`;
}
