// The end-to-end test's second plan: exit 2 is a failure whatever the change, and the changes are
// shown. The outputs below are Terraform 1.11.4's own, captured on a terraform_data resource.
import type { CommandResult } from "./command";
import { changesOf, secondPlanVerdict } from "./second-plan";

const result = (code: number, stdout: string, stderr = ""): CommandResult => ({ code, stdout, stderr, seconds: 1 });

const REFRESH = "terraform_data.marker: Refreshing state... [id=c0e5eed7-d836-445d-11f9-0e57c2fdb344]\n\n";

const NO_CHANGES = `${REFRESH}No changes. Your infrastructure matches the configuration.

Terraform has compared your real infrastructure against your configuration
and found no differences, so no changes are needed.
`;

const OUTPUT_ONLY = `
Changes to Outputs:
  ~ marker = "one" -> "two"

You can apply this plan to save these new output values to the Terraform
state, without changing any real infrastructure.
`;

const TAINTED = `
Terraform used the selected providers to generate the following execution
plan. Resource actions are indicated with the following symbols:
-/+ destroy and then create replacement

Terraform will perform the following actions:

  # terraform_data.marker is tainted, so must be replaced
-/+ resource "terraform_data" "marker" {
      ~ id     = "c0e5eed7-d836-445d-11f9-0e57c2fdb344" -> (known after apply)
      ~ output = "a" -> (known after apply)
        # (1 unchanged attribute hidden)
    }

Plan: 1 to add, 0 to change, 1 to destroy.`;

describe("second plan", () => {
  it("is empty on exit 0", () => {
    expect(secondPlanVerdict("stack-a", result(0, NO_CHANGES), "")).toEqual({ kind: "empty" });
  });

  it("fails on an output-only change (exit 2, no resource line) and shows it", () => {
    expect(secondPlanVerdict("stack-a", result(2, `${REFRESH}${OUTPUT_ONLY}`), OUTPUT_ONLY)).toEqual({
      kind: "changes",
      problem: [
        "stack-a: second plan exit 2, Terraform would change:",
        "      Changes to Outputs:",
        '        ~ marker = "one" -> "two"',
        "      You can apply this plan to save these new output values to the Terraform",
        "      state, without changing any real infrastructure.",
      ].join("\n"),
    });
  });

  it("fails on a tainted resource (exit 2, 'is tainted, so must be replaced') and shows it", () => {
    expect(secondPlanVerdict("stack-a", result(2, `${REFRESH}${TAINTED}`), TAINTED)).toEqual({
      kind: "changes",
      problem: [
        "stack-a: second plan exit 2, Terraform would change:",
        "      -/+ destroy and then create replacement",
        "        # terraform_data.marker is tainted, so must be replaced",
        '      -/+ resource "terraform_data" "marker" {',
        '            ~ id     = "c0e5eed7-d836-445d-11f9-0e57c2fdb344" -> (known after apply)',
        '            ~ output = "a" -> (known after apply)',
        "              # (1 unchanged attribute hidden)",
        "          }",
        "      Plan: 1 to add, 0 to change, 1 to destroy.",
      ].join("\n"),
    });
  });

  it("shows the plan's own output when terraform show gave nothing", () => {
    const verdict = secondPlanVerdict("stack-a", result(2, OUTPUT_ONLY), "");
    expect(verdict.kind === "changes" && verdict.problem).toContain('~ marker = "one" -> "two"');
  });

  it("is an error on any other exit, with Terraform's error line", () => {
    expect(secondPlanVerdict("stack-a", result(1, "", "│ Error: No valid credential sources found\n"), "")).toEqual({
      kind: "error",
      problem: "stack-a: second plan failed (exit 1): Error: No valid credential sources found",
    });
  });

  it("keeps at most 60 lines of changes and says how many it left out", () => {
    const lines = changesOf(Array.from({ length: 65 }, (_, i) => `line ${i + 1}`).join("\n"));
    expect(lines).toHaveLength(61);
    expect(lines[59]).toBe("line 60");
    expect(lines[60]).toBe("... 5 more lines");
  });

  describe("the existing-policy guard's reads (exit 2 with nothing to change)", () => {
    // Shapes of Terraform 1.11.4's `show -json`: a check's scoped data source is always planned to
    // be read again during the apply (hashicorp/terraform#36536).
    const guardRead = {
      address: "data.aws_s3_bucket_policy.existing_destination_b",
      action_reason: "read_because_check_nested",
      change: { actions: ["read"] },
    };
    const unchanged = { address: "aws_iam_role.replication", change: { actions: ["no-op"] } };

    it("is empty when the saved plan only reads the guard's data sources again", () => {
      const plan = { resource_changes: [unchanged, guardRead], output_changes: { arn: { actions: ["no-op"] } } };
      expect(secondPlanVerdict("stack-a", result(2, "Plan: 0 to add, 0 to change, 0 to destroy."), "", plan)).toEqual({
        kind: "empty",
      });
    });

    it("fails when a resource changes beside the guard's read", () => {
      const plan = {
        resource_changes: [guardRead, { address: "aws_iam_role.replication", change: { actions: ["update"] } }],
      };
      expect(secondPlanVerdict("stack-a", result(2, ""), "  ~ update in-place", plan).kind).toBe("changes");
    });

    it("fails on a warning (a failed check after the apply), whatever the exit code", () => {
      const warned = result(0, "", "╷\n│ Warning: Check block assertion failed\n│\n╵\n");
      expect(secondPlanVerdict("stack-a", warned, "")).toEqual({
        kind: "changes",
        problem: "stack-a: second plan warns:\n      Warning: Check block assertion failed",
      });
    });
  });
});
