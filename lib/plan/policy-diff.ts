import { structuredPatch } from "diff";
import { sortedKeysJson } from "../canonical-json";

/** A policy, pretty-printed with sorted keys, so that a diff shows what changed and nothing else. */
function readable(policy: unknown): string {
  if (policy === null || policy === undefined) return "";
  if (typeof policy === "string") return `${policy}\n`;
  return `${sortedKeysJson(policy, 2)}\n`;
}

/** A unified diff of two policy documents, line by line, with context. */
export function policyDiff(before: unknown, after: unknown): string {
  const patch = structuredPatch("before", "after", readable(before), readable(after), "", "", { context: 3 });
  return patch.hunks
    .flatMap((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines])
    .join("\n");
}
