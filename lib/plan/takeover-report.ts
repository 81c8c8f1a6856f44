/**
 * The existing-bucket check (takeover.ts) in words: each refusal and note as one sentence, for a
 * terminal or for Markdown, and the whole takeover as the part of the plan summary that says
 * what the apply takes from existing buckets. Names come from the config and from live buckets
 * (a Sid or rule id is whatever its author wrote), so each is written through `Words.code`.
 */
import { codeBlock, inlineCode } from "../escape/markdown";
import { visible } from "../escape/visible";
import { RULE_FIELDS } from "./replication-rules";
import { valueText } from "./summary-markdown";
import type { ConfigPath, Note, Refusal, RemovedStatement, Takeover } from "./takeover";

/** How a name or value is written: as code in Markdown, with invisible characters escaped on a terminal. */
export interface Words {
  readonly code: (text: string) => string;
}

export const TERMINAL: Words = { code: visible };
export const MARKDOWN: Words = { code: inlineCode };

export function pathText(path: ConfigPath): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
}

function describeSids(removed: readonly RemovedStatement[], w: Words): string {
  const named = removed.filter((r) => r.sid).map((r) => `Sid ${w.code(r.sid as string)}`);
  const unnamed = removed.length - named.length;
  return [...named, ...(unnamed > 0 ? [`${unnamed} without Sid`] : [])].join(", ");
}

export function refusalText(refusal: Refusal, w: Words): string {
  const { stack } = refusal;
  if (refusal.kind === "bucket-exists") {
    const whose =
      refusal.owner === "readable"
        ? `already exists (account ${refusal.accountId}'s credentials can read it)`
        : `already exists in another account (or account ${refusal.accountId}'s credentials may not s3:ListBucket it)`;
    return `${w.code(stack)}: the config creates bucket ${w.code(refusal.bucket)}, which ${whose}. In us-east-1 S3 answers "created" to re-creating a bucket you own, and the apply would then overwrite its policy, versioning and replication unchecked: set "create": false on it (the existing-bucket check then reads what it has), or choose a bucket name that is free.`;
  }
  const path = pathText(refusal.keepAt);
  if (refusal.kind === "statements") {
    return `${w.code(stack)}: the apply would remove ${refusal.removed.length} statement(s) from the bucket policy of ${w.code(refusal.bucket)} (${describeSids(refusal.removed, w)}). Keep them: ${w.code(`npm run adopt -- ${stack}`)} copies them into ${w.code(`${path}.additionalStatements`)}; or set ${w.code(`${path}.replaceExistingStatements`)} to true if removing them is intended (or plan with --replace-existing).`;
  }
  const ids = refusal.ids.map((id) => w.code(id)).join(", ");
  if (refusal.kind === "rules") {
    return `${w.code(stack)}: the apply would remove ${refusal.ids.length} replication rule(s) that ${w.code(refusal.bucket)} has and the config does not (id ${ids}). Add them to ${w.code(`${path}.rules`)}, or set ${w.code(`${path}.replaceExistingRules`)} to true if removing them is intended (or plan with --replace-existing).`;
  }
  return `${w.code(stack)}: the apply would rewrite ${refusal.ids.length} replication rule(s) that ${w.code(refusal.bucket)} has under the same id with other content (id ${ids}; before and after below). Make the config's rule say what the bucket's says, or set ${w.code(`${path}.replaceExistingRules`)} to true if rewriting them is intended (or plan with --replace-existing).`;
}

export function noteText(note: Note, w: Words): string {
  const bucket = w.code(note.bucket);
  switch (note.kind) {
    case "role":
      return `${bucket}: the replication configuration's role changes from ${w.code(note.from)} to ${w.code(note.to)}`;
    case "versioning":
      return `${bucket}: versioning is ${note.status}; the apply enables it (a versioned bucket can be suspended later, never unversioned again)`;
    case "encryption":
      return `${bucket}: default encryption is ${w.code(note.algorithm)} with ${w.code(note.key)}, which source.sseKmsKeyArns does not list: objects it encrypts are not replicated unless a rule sets replicateSseKms`;
    case "ownership":
      return `${bucket}: Object Ownership is ${w.code(note.live)}, the config says ${w.code(note.config)}`;
  }
}

export interface TakeoverMarkdownOptions {
  /** Live statements as a count and their Sids only (public repositories). */
  readonly redact?: boolean;
}

/** The takeover as Markdown, for the plan summary: what goes, by Sid and text, and by rule id. */
export function takeoverMarkdown(takeover: Takeover, options: TakeoverMarkdownOptions = {}): string {
  const lines: string[] = [];
  for (const refusal of takeover.refusals) lines.push(`> **REFUSED: ${refusalText(refusal, MARKDOWN)}**`, ">");
  if (takeover.refusals.length > 0) lines.push("");
  const { removedStatements, removedRules, changedRules } = takeover;
  if (removedStatements.length > 0 || removedRules.length > 0 || changedRules.length > 0) {
    lines.push("**The apply removes or rewrites on existing buckets:**", "");
    for (const s of removedStatements) {
      const which = `statement ${s.sid ? `Sid ${inlineCode(s.sid)}` : "without Sid"}`;
      if (options.redact) {
        lines.push(`- bucket policy of ${inlineCode(s.bucket)}: ${which} (text not shown: redacted summary)`);
        continue;
      }
      lines.push(`- bucket policy of ${inlineCode(s.bucket)}: ${which}`, "", codeBlock(s.text, "json", "  "), "");
    }
    if (options.redact && removedStatements.length > 0) lines.push("");
    for (const r of removedRules) {
      lines.push(
        `- replication configuration of ${inlineCode(r.bucket)}: rule ${inlineCode(r.id)}`,
        "",
        codeBlock(r.text, "json", "  "),
        "",
      );
    }
    for (const r of changedRules) {
      lines.push(`- replication configuration of ${inlineCode(r.bucket)}: rule ${inlineCode(r.id)} is rewritten:`);
      for (const f of r.fields) {
        lines.push(`  - ${RULE_FIELDS[f.field]}: ${valueText(f.before)} → ${valueText(f.after)}`);
      }
      lines.push("");
    }
  }
  for (const note of takeover.notes) lines.push(`- ${noteText(note, MARKDOWN)}`);
  if (takeover.notes.length > 0) lines.push("");
  return lines.join("\n");
}
