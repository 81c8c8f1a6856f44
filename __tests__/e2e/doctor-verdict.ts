/**
 * What a `doctor --json` report says against the emulator: every check must pass, except the one
 * call moto 5.2.1 does not implement. That call, iam:SimulatePrincipalPolicy (doctor's "IAM
 * simulation"), is answered with HTTP 500 and an HTML page; only a failed "IAM simulation" check
 * whose call got exactly that status is not applicable. A passing one counts as a pass, and any
 * other failure, of that check or another, is a problem.
 */
import type { CommandResult } from "./command";

export const EMULATOR_GAP = { check: "IAM simulation", httpStatus: 500 } as const;

export interface DoctorCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly resource?: string;
  readonly detail?: string;
  readonly httpStatus?: number;
}

export interface DoctorVerdict {
  readonly passed: number;
  /** Checks that count: all but the not-applicable ones. */
  readonly counted: number;
  readonly notApplicable: number;
  readonly problems: readonly string[];
  readonly checks: readonly DoctorCheck[];
}

export function isEmulatorGap(check: DoctorCheck): boolean {
  return !check.passed && check.check === EMULATOR_GAP.check && check.httpStatus === EMULATOR_GAP.httpStatus;
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
      notApplicable: 0,
      problems: [`doctor ${stack}: no JSON report (exit ${result.code}): ${said}`],
      checks: [],
    };
  }
  const gaps = checks.filter(isEmulatorGap);
  const counted = checks.filter((c) => !isEmulatorGap(c));
  const problems = counted
    .filter((c) => !c.passed)
    .map(
      (c) =>
        `doctor ${stack}: ${c.check} ${c.resource ?? ""}: ${c.detail ?? ""}${c.httpStatus ? ` (HTTP ${c.httpStatus})` : ""}`,
    );
  const exit = checks.some((c) => !c.passed) ? 1 : 0;
  if (result.code !== exit) problems.push(`doctor ${stack}: exit ${result.code}, expected ${exit}`);
  return {
    passed: counted.filter((c) => c.passed).length,
    counted: counted.length,
    notApplicable: gaps.length,
    problems,
    checks,
  };
}
