import { driftOf } from "../../lib/ops/verify/drift";
import type { CommandResult } from "../../lib/plan/run-plan";

// Shapes of Terraform 1.11.4's `show -json`: the existing-policy guard's scoped data source is
// planned to be read again during every apply (hashicorp/terraform#36536).
const GUARD_READ = {
  address: "data.aws_s3_bucket_policy.existing_destination_b",
  action_reason: "read_because_check_nested",
  change: { actions: ["read"] },
};
const UNCHANGED = { address: "aws_iam_role.replication", change: { actions: ["no-op"] } };

/** A fake Terraform: the plan's exit code, then what `show -json` prints; every call recorded. */
function terraform(planCode: number, shown: unknown, planStderr = "") {
  const calls: string[] = [];
  const run = async (command: string, args: readonly string[], cwd: string): Promise<CommandResult> => {
    calls.push(`${cwd}: ${command} ${args.join(" ")}`);
    if (args[0] === "plan") return { code: planCode, stdout: "", stderr: planStderr };
    return { code: 0, stdout: JSON.stringify(shown), stderr: "" };
  };
  return { calls, step: { stack: "replication-a", cwd: "/out/stacks/replication-a", run, init: async () => {} } };
}

describe("verify's drift check", () => {
  test("plans without the state lock into its own file, and exit 0 is no drift", async () => {
    const { calls, step } = terraform(0, {});
    const cell = await driftOf(step);
    expect(calls).toEqual([
      "/out/stacks/replication-a: terraform plan -input=false -no-color -detailed-exitcode -lock=false -out=verify.tfplan",
    ]);
    expect(cell).toEqual({
      status: "pass",
      summary: "no changes",
      findings: [
        { stack: "replication-a", check: "drift", resource: "replication-a", passed: true, detail: "no changes" },
      ],
    });
  });

  test("exit 2 with nothing but the guard's reads in the saved plan is no drift (the rule of lib/plan)", async () => {
    const { calls, step } = terraform(2, { resource_changes: [UNCHANGED, GUARD_READ] });
    const cell = await driftOf(step);
    expect(calls).toEqual([
      "/out/stacks/replication-a: terraform plan -input=false -no-color -detailed-exitcode -lock=false -out=verify.tfplan",
      "/out/stacks/replication-a: terraform show -json verify.tfplan",
    ]);
    expect(cell.status).toBe("pass");
    expect(cell.summary).toBe("no changes");
    expect(cell.findings[0].detail).toBe("no changes (the existing-policy guard's reads only)");
  });

  test("exit 2 with a change beside the guard's reads is drift, linked to its troubleshooting section", async () => {
    const { step } = terraform(2, {
      resource_changes: [
        GUARD_READ,
        { address: "aws_iam_role_policy.replication", change: { actions: ["create"] } },
        { address: "aws_s3_bucket_versioning.destination_b", change: { actions: ["update"] } },
      ],
    });
    expect(await driftOf(step)).toEqual({
      status: "fail",
      summary: "2 changes",
      findings: [
        {
          stack: "replication-a",
          check: "drift",
          resource: "replication-a",
          passed: false,
          help: "help/troubleshooting.md#verify-finds-changes-made-outside-terraform",
          detail:
            "changed outside Terraform: aws_iam_role_policy.replication: create; aws_s3_bucket_versioning.destination_b: update",
        },
      ],
    });
  });

  test("a read of a data source for any other reason is drift too", async () => {
    const { step } = terraform(2, {
      resource_changes: [{ ...GUARD_READ, action_reason: "read_because_dependency_pending" }],
    });
    const cell = await driftOf(step);
    expect([cell.status, cell.summary]).toEqual(["fail", "1 change"]);
  });

  test("a plan that fails is a failed check with Terraform's error line, not drift", async () => {
    const stderr = "╷\n│ Error: No valid credential sources found\n│ \n│ Please see https://registry.terraform.io\n╵\n";
    const { calls, step } = terraform(1, {}, stderr);
    const cell = await driftOf(step);
    expect(calls).toHaveLength(1);
    expect(cell.status).toBe("fail");
    expect(cell.summary).toBe("cannot plan");
    expect(cell.findings[0].detail).toBe("terraform plan failed (exit 1): Error: No valid credential sources found");
  });

  test("an init that fails is a failed check, and no plan runs", async () => {
    const { calls, step } = terraform(0, {});
    const cell = await driftOf({
      ...step,
      init: async () => {
        throw new Error("replication-a: terraform init failed\nError: Failed to query available provider packages");
      },
    });
    expect(calls).toEqual([]);
    expect([cell.status, cell.summary, cell.findings[0].detail]).toEqual([
      "fail",
      "cannot plan",
      "terraform init failed: Error: Failed to query available provider packages",
    ]);
  });
});
