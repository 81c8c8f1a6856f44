/**
 * What a `doctor --json` report says against the emulator: every check must pass, the canary's
 * too. The emulator answers every call doctor makes (its IAM simulation included: aws_emulator.py
 * patch 8), so any failed check is a problem, and so is an exit code other than the report implies.
 */
import type { CommandResult } from "./command";

export interface DoctorCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly rule?: string;
  readonly resource?: string;
  readonly detail?: string;
  readonly help?: string;
  readonly httpStatus?: number;
}

export interface DoctorVerdict {
  readonly passed: number;
  readonly counted: number;
  readonly problems: readonly string[];
  readonly checks: readonly DoctorCheck[];
}

/** One stack's doctor run: its JSON report, and its exit code (1 when a check failed, else 0). */
export function doctorVerdict(stack: string, result: CommandResult): DoctorVerdict {
  let checks: DoctorCheck[];
  try {
    checks = (JSON.parse(result.stdout) as { results: DoctorCheck[] }).results;
  } catch {
    const said = result.stderr.trim().slice(0, 300);
    return {
      passed: 0,
      counted: 0,
      problems: [`doctor ${stack}: no JSON report (exit ${result.code}): ${said}`],
      checks: [],
    };
  }
  const problems = checks
    .filter((c) => !c.passed)
    .map(
      (c) =>
        `doctor ${stack}: ${c.check} ${c.resource ?? ""}: ${c.detail ?? ""}${c.httpStatus ? ` (HTTP ${c.httpStatus})` : ""}`,
    );
  const exit = checks.some((c) => !c.passed) ? 1 : 0;
  if (result.code !== exit) problems.push(`doctor ${stack}: exit ${result.code}, expected ${exit}`);
  return { passed: checks.filter((c) => c.passed).length, counted: checks.length, problems, checks };
}
