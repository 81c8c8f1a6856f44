/**
 * `npm run adopt`: keeps what existing destination bucket policies have by writing their
 * statements into the config (`destinationPolicies.<bucket>.additionalStatements`), so the
 * synthesized policy carries them and every later apply keeps them. The file is only written when
 * the result is a valid config.
 */
import type { Json } from "../json";
import { pathText, type Takeover } from "./takeover";

/** Statement ids the config accepts (IAM's own rule for Sid). */
const SID = /^[A-Za-z0-9]*$/;

export interface Adoption {
  /** The config with the statements added. */
  readonly config: Json;
  readonly adopted: ReadonlyArray<{ readonly bucket: string; readonly sid?: string }>;
  /** Statements that cannot be carried as they are, with why. */
  readonly skipped: readonly string[];
}

/** Adds each statement the apply would remove to its bucket's additionalStatements. */
export function adoptStatements(raw: Json, takeovers: readonly Takeover[]): Adoption {
  const config = structuredClone(raw);
  const adopted: Array<{ bucket: string; sid?: string }> = [];
  const skipped: string[] = [];
  for (const takeover of takeovers) {
    for (const removed of takeover.removedStatements) {
      const keepAt = removed.keepAt ?? [];
      if (removed.sid !== undefined && !SID.test(removed.sid)) {
        skipped.push(
          `${removed.bucket}: statement Sid "${removed.sid}" has characters other than letters and digits: copy it into ${pathText(keepAt)}.additionalStatements with a new Sid`,
        );
        continue;
      }
      let node = config;
      for (const key of keepAt) {
        node[key] ??= {};
        node = node[key];
      }
      node.additionalStatements = [...(node.additionalStatements ?? []), removed.statement];
      adopted.push({ bucket: removed.bucket, sid: removed.sid });
    }
  }
  return { config, adopted, skipped };
}
