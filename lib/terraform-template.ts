/**
 * Terraform reads every string of a `.tf.json` file, object keys included, as a template:
 * `${...}` interpolates and `%{...}` is a directive. Text that must reach AWS as written is
 * escaped (`$${` and `%%{`), and preflight reads it back with Terraform's own rule.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1
 */

/** Literal text as Terraform template text that evaluates to exactly `text`. */
export function escapeTemplateText(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/**
 * Evaluates the escapes of template text: `$${` is `${` and `%%{` is `%{`. Interpolations and
 * directives (`${...}`, `%{...}`) are kept as they are, for the reader to resolve. A `$` or `%`
 * not followed by `{` is literal, so the scan reads left to right, as Terraform's scanner does.
 */
export function unescapeTemplateText(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      out += `${c}{`;
      i += 3;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Applies `fn` to every string and object key of parsed JSON. */
export function mapStrings(value: unknown, fn: (text: string) => string): unknown {
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k), mapStrings(v, fn)]));
  }
  return value;
}
