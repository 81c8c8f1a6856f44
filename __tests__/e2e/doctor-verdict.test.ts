// The end-to-end test's reading of doctor: only the emulator's HTTP 500 on IAM simulation is
// "n/a"; a passing simulation is a pass and every other failure is a problem.
import type { CommandResult } from "./command";
import { type DoctorCheck, doctorVerdict } from "./doctor-verdict";

const STACK = "replication-my-app-data-prod";
const ROLE = "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole";
const NOT_AWS =
  "the endpoint answered HTTP 500 with something that is not an AWS answer (@aws-sdk XML parse error: mismatched tags <html> and </title>.): it may not implement this call (an emulator), or not be the service the setting meant";

const check = (fields: Partial<DoctorCheck> & Pick<DoctorCheck, "check" | "passed">): DoctorCheck => ({
  resource: "arn:aws:s3:::my-app-data-prod",
  ...fields,
});
const simulation = (fields: Partial<DoctorCheck> = {}) =>
  check({ check: "IAM simulation", passed: false, detail: NOT_AWS, httpStatus: 500, ...fields });

function doctorRun(results: DoctorCheck[], code = results.some((r) => !r.passed) ? 1 : 0): CommandResult {
  return { code, stdout: JSON.stringify({ stacks: [STACK], results }), stderr: "", seconds: 1 };
}

describe("doctor against the emulator", () => {
  it("counts the simulation's HTTP 500 as n/a and everything else as passes", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([
        check({ check: "versioning", passed: true }),
        check({ check: "replication role", passed: true, resource: ROLE }),
        simulation(),
        simulation({ resource: "arn:aws:s3:::my-app-data-backup/s3-replication-doctor.txt" }),
      ]),
    );
    expect([verdict.passed, verdict.counted, verdict.notApplicable, verdict.problems]).toEqual([2, 2, 2, []]);
  });

  it("counts a passing simulation as a pass, never as n/a", () => {
    const verdict = doctorVerdict(STACK, doctorRun([simulation({ passed: true, detail: "s3:ListBucket" })]));
    expect([verdict.passed, verdict.counted, verdict.notApplicable]).toEqual([1, 1, 0]);
  });

  it("reports a simulation that failed with another status, even if its words mention 500", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([simulation({ httpStatus: 403, detail: "AccessDenied: not allowed after 500 attempts" })]),
    );
    expect(verdict.notApplicable).toBe(0);
    expect(verdict.problems).toEqual([
      "doctor replication-my-app-data-prod: IAM simulation arn:aws:s3:::my-app-data-prod: AccessDenied: not allowed after 500 attempts (HTTP 403)",
    ]);
  });

  it("reports a simulation that was answered and denied", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([simulation({ httpStatus: undefined, detail: "not allowed: s3:ReplicateTags" })]),
    );
    expect(verdict.problems).toEqual([
      "doctor replication-my-app-data-prod: IAM simulation arn:aws:s3:::my-app-data-prod: not allowed: s3:ReplicateTags",
    ]);
  });

  it("reports an HTTP 500 on any other check", () => {
    const verdict = doctorVerdict(
      STACK,
      doctorRun([check({ check: "versioning", passed: false, detail: NOT_AWS, httpStatus: 500 })]),
    );
    expect(verdict.notApplicable).toBe(0);
    expect(verdict.problems).toHaveLength(1);
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
