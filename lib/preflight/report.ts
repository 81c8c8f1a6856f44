import type { CheckResult } from "./result";
import type { PreflightReport } from "./run-preflight";

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
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
export function formatReport(report: PreflightReport): string {
  const lines: string[] = [];
  const header = ["check", "principal", "resource", "result", "detail"];
  const groups = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    const title = r.rule ? `${r.stack} · rule ${r.rule}` : `${r.stack} · checks`;
    groups.set(title, [...(groups.get(title) ?? []), r]);
  }
  for (const [title, results] of groups) {
    lines.push(title, ...table([header, ...results.map(row)]).map((l) => `  ${l}`), "");
  }
  lines.push(summaryLine(report));
  return lines.join("\n");
}

export function summaryLine(report: PreflightReport): string {
  return `preflight: ${report.results.length} checks, ${report.passed} passed, ${report.failed} failed`;
}

export function reportJson(report: PreflightReport): string {
  return JSON.stringify(report, null, 2);
}
