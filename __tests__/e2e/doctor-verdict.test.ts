// The end-to-end test's reading of doctor: the emulator answers every call, so every failed check
// is a problem, and so is an exit code the report does not imply.
import type { CommandResult } from "./command";
import { type DoctorCheck, doctorVerdict } from "./doctor-verdict";

const STACK = "replication-my-app-data-prod";
const NOT_AWS =
  "the endpoint answered HTTP 500 with something that is not an AWS answer (@aws-sdk XML parse error: mismatched tags <html> and </title>.): it may not implement this call (an emulator), or not be the service the setting meant";

const check = (fields: Partial<DoctorCheck> & Pick<DoctorCheck, "check" | "passed">): DoctorCheck => ({
  resource: "arn:aws:s3:::my-app-data-prod",
  ...fields,
});

function doctorRun(results: DoctorCheck[], code = results.some((r) => !r.passed) ? 1 : 0): CommandResult {
  return { code, stdout: JSON.stringify({ stacks: [STACK], results }), stderr: "", seconds: 1 };
}

describe("doctor against the emulator", () => {
  it("counts every check, the IAM simulation and the canary too", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([
        check({ check: "versioning", passed: true }),
        check({ check: "IAM simulation", passed: true }),
        check({ check: "canary", passed: true, rule: "r1" }),
      ]),
    );
    expect([verdict.passed, verdict.counted, verdict.problems]).toEqual([3, 3, []]);
  });

  it("reports an IAM simulation the emulator cannot answer, like any other failed check", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([check({ check: "IAM simulation", passed: false, detail: NOT_AWS, httpStatus: 500 })]),
    );
    expect(verdict.problems).toEqual([
      `doctor replication-my-app-data-prod: IAM simulation arn:aws:s3:::my-app-data-prod: ${NOT_AWS} (HTTP 500)`,
    ]);
  });

  it("reports a simulation that was answered and denied", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([check({ check: "IAM simulation", passed: false, detail: "not allowed: s3:ReplicateTags" })]),
    );
    expect(verdict.problems).toEqual([
      "doctor replication-my-app-data-prod: IAM simulation arn:aws:s3:::my-app-data-prod: not allowed: s3:ReplicateTags",
    ]);
  });

  it("reports an exit code that does not match the report", () => {
    expect(doctorVerdict(STACK, doctorRun([check({ check: "versioning", passed: true })], 1)).problems).toEqual([
      "doctor replication-my-app-data-prod: exit 1, expected 0",
    ]);
  });

  it("reports a run without a JSON report", () => {
    const verdict = doctorVerdict(STACK, { code: 2, stdout: "", stderr: "config: unknown stack\n", seconds: 1 });
    expect(verdict.problems).toEqual([
      "doctor replication-my-app-data-prod: no JSON report (exit 2): config: unknown stack",
    ]);
  });
});
