/**
 * Verify's report as a person reads it: one table, a row per stack and a column per check, then
 * each failure with its troubleshooting section; as Markdown for a job summary or an issue (every
 * value escaped: bucket names, rule ids and AWS's words are not the project's text); or as JSON.
 */

import type { Marks } from "../../check-report";
import { PLAIN } from "../../check-report";
import type { CheckResult } from "../../check-result";
import { inlineCode, markdownText } from "../../escape/markdown";
import { visible } from "../../escape/visible";
import { type Cell, VERIFY_CHECKS, type VerifyCheck } from "./findings";
import type { StackRow, VerifyReport } from "./verify";

function hours(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}

export function summaryLine(report: VerifyReport): string {
  return `verify: ${report.stacks.length} stack(s), ${report.healthy} healthy, ${report.unhealthy} unhealthy (canary ${report.canary ? "run" : "not run"}, metrics over the last ${hours(report.sinceSeconds)})`;
}

function cellText(cell: Cell): string {
  return cell.status === "fail" ? `FAIL: ${cell.summary}` : cell.summary;
}

/** Each failed finding of a row, with its check's column, in column order. */
export function failuresOf(row: StackRow): Array<{ column: VerifyCheck; finding: CheckResult }> {
  return VERIFY_CHECKS.flatMap((column) =>
    row.checks[column].findings.filter((f) => !f.passed).map((finding) => ({ column, finding })),
  );
}

function failureWords(column: VerifyCheck, finding: CheckResult): string {
  const what = column === finding.check ? column : `${column} · ${finding.check}`;
  const rule = finding.rule ? ` (rule ${finding.rule})` : "";
  return `${what}${rule} ${finding.resource ?? ""}: ${finding.detail ?? "failed"}`;
}

export function verifyTable(report: VerifyReport, marks: Marks = PLAIN): string {
  const header = ["stack", ...VERIFY_CHECKS];
  const rows = report.stacks.map((row) => [
    visible(row.stack),
    ...VERIFY_CHECKS.map((c) => (row.error ? "not checked" : visible(cellText(row.checks[c])))),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (cells: string[], colour = false) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]);
        if (!colour || i === 0) return padded;
        return cell.startsWith("FAIL") || cell === "not checked" ? marks.fail(padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...rows.map((r) => line(r, true))];
  for (const row of report.stacks.filter((r) => !r.healthy)) {
    lines.push("", `${visible(row.stack)}:`);
    if (row.error) lines.push(`  not checked: ${visible(row.error)}`);
    for (const { column, finding } of failuresOf(row)) {
      lines.push(`  ${visible(failureWords(column, finding))}`);
      if (finding.help) lines.push(`    -> ${finding.help}`);
    }
  }
  lines.push("", summaryLine(report));
  return lines.join("\n");
}

/** A troubleshooting link: on GitHub, to the file at the commit that ran; else the repository path. */
export function helpLink(help: string, env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA } = env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_SHA
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/blob/${GITHUB_SHA}/${help}`
    : help;
}

function markdownCell(row: StackRow, column: VerifyCheck, env: NodeJS.ProcessEnv): string {
  if (row.error) return "not checked";
  const cell = row.checks[column];
  const text = markdownText(cell.summary);
  if (cell.status !== "fail") return text;
  const help = cell.findings.find((f) => !f.passed && f.help)?.help;
  return help ? `**FAIL**: [${text}](${helpLink(help, env)})` : `**FAIL**: ${text}`;
}

/** The rows' table and the failures of each unhealthy stack, in Markdown. */
export function verifyMarkdown(
  report: VerifyReport,
  env: NodeJS.ProcessEnv,
  heading = "## Replication verify",
): string {
  const lines = [
    heading,
    "",
    `| stack | ${VERIFY_CHECKS.join(" | ")} |`,
    `| --- | ${VERIFY_CHECKS.map(() => "---").join(" | ")} |`,
    ...report.stacks.map(
      (row) => `| ${inlineCode(row.stack)} | ${VERIFY_CHECKS.map((c) => markdownCell(row, c, env)).join(" | ")} |`,
    ),
  ];
  for (const row of report.stacks.filter((r) => !r.healthy)) {
    lines.push("", `### ${markdownText(row.stack)}`, "");
    if (row.error) lines.push(`- not checked: ${markdownText(row.error)}`);
    for (const { column, finding } of failuresOf(row)) {
      const link = finding.help ? ` ([troubleshooting](${helpLink(finding.help, env)}))` : "";
      lines.push(`- ${markdownText(failureWords(column, finding))}${link}`);
    }
  }
  lines.push("", markdownText(summaryLine(report)), "");
  return lines.join("\n");
}

export function verifyJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2);
}
