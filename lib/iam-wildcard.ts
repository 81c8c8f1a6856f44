/**
 * IAM's wildcard matching, in one place: `*` any run of characters, `?` one character, and the
 * policy variables `${*}`, `${?}` and `${$}` for the literal characters. Action names match
 * case-insensitively; resources and condition values case-sensitively.
 */
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function iamWildcard(pattern: string, value: string, options: { caseInsensitive?: boolean } = {}): boolean {
  const regex = pattern
    .split(/(\$\{[*?$]\})/)
    .map((part) =>
      /^\$\{[*?$]\}$/.test(part)
        ? escapeRegex(part.charAt(2))
        : escapeRegex(part).replace(/\\\*/g, ".*").replace(/\\\?/g, "."),
    )
    .join("");
  return new RegExp(`^${regex}$`, options.caseInsensitive ? "is" : "s").test(value);
}
