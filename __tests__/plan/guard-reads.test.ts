import { changesBesidesGuardReads, onlyGuardReads } from "../../lib/plan/guard-reads";

// Shapes of Terraform 1.11.4's `show -json`: a check's scoped data source is always planned to be
// read again during the apply (hashicorp/terraform#36536).
const guardRead = {
  address: "data.aws_s3_bucket_policy.existing_destination_b",
  action_reason: "read_because_check_nested",
  change: { actions: ["read"] },
};
const unchanged = { address: "aws_iam_role.replication", change: { actions: ["no-op"] } };

describe("the existing-policy guard's reads in a saved plan", () => {
  it("are no change: a plan that only reads the guard's data sources again proposes nothing", () => {
    const plan = { resource_changes: [unchanged, guardRead], output_changes: { arn: { actions: ["no-op"] } } };
    expect(onlyGuardReads(plan)).toBe(true);
    expect(changesBesidesGuardReads(plan)).toEqual([]);
    expect(onlyGuardReads({})).toBe(true);
  });

  it("do not hide a resource that changes beside them", () => {
    const plan = {
      resource_changes: [guardRead, { address: "aws_iam_role.replication", change: { actions: ["update"] } }],
    };
    expect(onlyGuardReads(plan)).toBe(false);
    expect(changesBesidesGuardReads(plan)).toEqual(["aws_iam_role.replication: update"]);
  });

  it("are only reads nested in a check: a read for any other reason is a change, and so is an output change", () => {
    const pending = { ...guardRead, action_reason: "read_because_dependency_pending" };
    expect(onlyGuardReads({ resource_changes: [pending] })).toBe(false);
    expect(onlyGuardReads({ resource_changes: [{ ...guardRead, change: { actions: ["read", "update"] } }] })).toBe(
      false,
    );
    const output = { resource_changes: [guardRead], output_changes: { arn: { actions: ["update"] } } };
    expect(onlyGuardReads(output)).toBe(false);
    expect(changesBesidesGuardReads(output)).toEqual(["output.arn: update"]);
    expect(
      changesBesidesGuardReads({
        resource_changes: [
          { address: "aws_s3_bucket_policy.destination_b", change: { actions: ["delete", "create"] } },
        ],
      }),
    ).toEqual(["aws_s3_bucket_policy.destination_b: delete, create"]);
  });
});
