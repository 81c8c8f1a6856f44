/**
 * JSON text with object keys sorted, so that two documents that differ only in key order have the
 * same text: compared by content, or diffed line by line with nothing but the real changes.
 * Arrays keep their order (in IAM, S3 and Terraform documents, order can matter); comparing
 * IAM statements whatever their list order is lib/plan/takeover.ts's `statementForm`.
 */
export function sortedKeysJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    indent,
  );
}
