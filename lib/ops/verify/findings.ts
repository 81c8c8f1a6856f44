/**
 * One column of verify's table for one stack: what a check found, in a word for the cell, and
 * each failure with its troubleshooting section.
 */
import type { CheckResult } from "../../check-result";

export const VERIFY_CHECKS = ["drift", "doctor", "canary", "metrics", "backfill"] as const;
export type VerifyCheck = (typeof VERIFY_CHECKS)[number];

export interface Cell {
  /** pass: healthy; fail: unhealthy; skipped: not asked for or nothing to check in this stack. */
  readonly status: "pass" | "fail" | "skipped";
  /** A few words for the table cell: "no changes", "2 of 24 failed", "COMPLETED", "none". */
  readonly summary: string;
  /** Every finding, passed and failed, for --json. */
  readonly findings: readonly CheckResult[];
}

export function skipped(summary: string): Cell {
  return { status: "skipped", summary, findings: [] };
}

/** A cell from findings: failed when any failed; the summary counts, unless given. */
export function cellOf(findings: readonly CheckResult[], summaries: { pass?: string; fail?: string } = {}): Cell {
  const failed = findings.filter((f) => !f.passed).length;
  if (failed > 0) {
    return { status: "fail", summary: summaries.fail ?? `${failed} of ${findings.length} failed`, findings };
  }
  return { status: "pass", summary: summaries.pass ?? `${findings.length} passed`, findings };
}
