/**
 * Values no config field can hold, wherever they are (free-form policy statements included):
 * - `__proto__` as a key: JavaScript objects treat it as their prototype, so it is dropped or
 *   changes what other keys read;
 * - cdktf's token markers (`${TfToken[`): cdktf would read such text as a reference to one of
 *   its own values and write that into the stack instead;
 * - numbers too large for a double (1e400 reads as Infinity, which JSON cannot write back);
 * - text not in Unicode normalization form C: Terraform normalizes every string to NFC, so such
 *   text would not reach AWS as written (measured with Terraform 1.11: U+FB1D comes back as
 *   U+05D9 U+05B4).
 * Run after jsonStructureIssues, which bounds the depth this walk recurses to.
 */
import type { ConfigIssue } from "./config-error";

type Path = Array<string | number>;

const TOKEN_MARKER = /[$#&]\{TfToken\[/;

function textIssue(path: Path, text: string, what: string): ConfigIssue[] {
  const marker = TOKEN_MARKER.exec(text);
  if (marker) {
    return [
      {
        path,
        message: `${what} holds "${marker[0]}", which the CDK for Terraform reserves for its own references: remove it`,
      },
    ];
  }
  if (text.normalize("NFC") !== text) {
    return [
      {
        path,
        message: `${what} is not in Unicode normalization form C, and Terraform would change it to that form before it reaches AWS: save it normalized (NFC)`,
      },
    ];
  }
  return [];
}

export function reservedValueIssues(value: unknown, path: Path = []): ConfigIssue[] {
  if (typeof value === "string") return textIssue(path, value, "the text");
  if (typeof value === "number" && !Number.isFinite(value)) {
    return [{ path, message: "is a number too large to represent (it reads as infinity): use a smaller number" }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => reservedValueIssues(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => {
      if (key === "__proto__") {
        return [
          {
            path: [...path, key],
            message: 'cannot be a key: JavaScript treats "__proto__" as an object\'s prototype; rename or remove it',
          },
        ];
      }
      return [...textIssue([...path, key], key, "the key"), ...reservedValueIssues(v, [...path, key])];
    });
  }
  return [];
}
