/** Check results as a person reads them (a table per rule, then one per stack) or as JSON. */
import type { CheckResult } from "./check-result";

export interface CheckReport {
  readonly stacks: readonly string[];
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
}

/** How pass and fail are written: plain, or coloured on a terminal. */
export interface Marks {
  readonly pass: (text: string) => string;
  readonly fail: (text: string) => string;
}

export const PLAIN: Marks = { pass: (t) => t, fail: (t) => t };

export function checkReport(stacks: readonly string[], results: readonly CheckResult[]): CheckReport {
  const failed = results.filter((r) => !r.passed).length;
  return { stacks, results, passed: results.length - failed, failed };
}

function table(rows: string[][], marks: Marks): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const padded = cell.padEnd(widths[c]);
        if (c !== 3) return padded;
        return cell === "pass" ? marks.pass(padded) : cell === "FAIL" ? marks.fail(padded) : padded;
      })
      .join("  ")
      .trimEnd(),
  );
}

function row(r: CheckResult): string[] {
  return [
    r.check,
    r.principal ?? "",
    r.resource ?? "",
    r.passed ? "pass" : "FAIL",
    r.passed ? (r.detail ?? "") : `${r.detail ?? ""}${r.help ? ` -> ${r.help}` : ""}`,
  ];
}

/** One table per rule (the requests S3 makes), one per stack for its checks, then the summary line. */
export function formatReport(report: CheckReport, label: string, marks: Marks = PLAIN): string {
  const lines: string[] = [];
  const header = ["check", "principal", "resource", "result", "detail"];
  const groups = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    const title = r.rule ? `${r.stack} · rule ${r.rule}` : `${r.stack} · checks`;
    groups.set(title, [...(groups.get(title) ?? []), r]);
  }
  for (const [title, results] of groups) {
    lines.push(title, ...table([header, ...results.map(row)], marks).map((l) => `  ${l}`), "");
  }
  lines.push(summaryLine(report, label));
  return lines.join("\n");
}

export function summaryLine(report: CheckReport, label: string): string {
  return `${label}: ${report.results.length} checks, ${report.passed} passed, ${report.failed} failed`;
}

export function reportJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2);
}
