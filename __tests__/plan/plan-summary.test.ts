import { readFileSync } from "node:fs";
import { join } from "node:path";
import { actionOf, summarizePlan } from "../../lib/plan/plan-summary";
import { policyDiff } from "../../lib/plan/policy-diff";
import { summaryMarkdown, warningText } from "../../lib/plan/summary-markdown";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "../fixtures/plans", name), "utf8"));

describe("plan summary", () => {
  test("reads Terraform's action lists", () => {
    expect(actionOf(["create"])).toBe("create");
    expect(actionOf(["update"])).toBe("update");
    expect(actionOf(["delete", "create"])).toBe("replace");
    expect(actionOf(["create", "delete"])).toBe("replace");
    expect(actionOf(["delete"])).toBe("delete");
    expect(actionOf(["forget"])).toBe("forget");
    expect(actionOf(["no-op"])).toBeUndefined();
    expect(actionOf(["read"])).toBeUndefined();
  });

  test("lists what a first apply adds, skipping reads and no-ops", () => {
    const summary = summarizePlan("replication-my-app-data-prod", fixture("first-apply.json"));
    expect(summary.counts).toEqual({ create: 2, update: 0, replace: 0, delete: 0, forget: 0 });
    expect(summary.changes.map((c) => [c.action, c.address])).toEqual([
      ["create", "aws_iam_role.replication"],
      ["create", "aws_s3_bucket_versioning.source"],
    ]);
    expect(summary.warnings).toEqual([]);
    expect(summary.policyChanges.map((p) => [p.address, p.attribute])).toEqual([
      ["aws_iam_role.replication", "assume_role_policy"],
    ]);
  });

  test("flags a destroyed versioning resource and a replaced bucket policy loudly", () => {
    const summary = summarizePlan("replication-my-app-data-prod", fixture("replace-and-destroy.json"));
    expect(summary.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 1, forget: 0 });
    expect(summary.warnings.map(warningText)).toEqual([
      "REPLACE `aws_s3_bucket_policy.destination_my-app-data-backup`: the bucket's whole policy is removed (on replace: for a moment); replication into it is denied meanwhile",
      "DESTROY `aws_s3_bucket_versioning.source`: versioning on the bucket is suspended (it can never go back to unversioned); replication stops",
    ]);
    const markdown = summaryMarkdown(summary);
    expect(markdown).toContain("### replication-my-app-data-prod: 1 to add, 1 to change, 1 to replace, 1 to destroy");
    expect(markdown).toContain("> **WARNING: DESTROY `aws_s3_bucket_versioning.source`:");
    expect(markdown).toContain("| replace | `aws_s3_bucket_policy.destination_my-app-data-backup` |");
    expect(markdown).toContain("| destroy | `aws_s3_bucket_versioning.source` |");
  });

  test("shows a changed policy as a readable diff of the documents", () => {
    const summary = summarizePlan("s", fixture("replace-and-destroy.json"));
    const change = summary.policyChanges.find((p) => p.address === "aws_iam_role_policy.replication");
    expect(change?.diff.split("\n")).toEqual([
      "@@ -3,7 +3,8 @@",
      "     {",
      '       "Action": [',
      '         "s3:ReplicateObject",',
      '-        "s3:ReplicateDelete"',
      '+        "s3:ReplicateDelete",',
      '+        "s3:ReplicateTags"',
      "       ],",
      '       "Effect": "Allow",',
      '       "Resource": "arn:aws:s3:::my-app-data-backup/*",',
    ]);
  });

  test("says a policy is known only after apply instead of inventing a diff", () => {
    const summary = summarizePlan("s", fixture("replace-and-destroy.json"));
    expect(summary.policyChanges.find((p) => p.address === "aws_iam_role_policy.replication_kms")?.diff).toBe(
      "@@ -1,0 +1,1 @@\n+(known after apply)",
    );
  });

  test("ignores a replaced policy whose text does not change", () => {
    const summary = summarizePlan("s", fixture("replace-and-destroy.json"));
    expect(summary.policyChanges.map((p) => p.address)).not.toContain(
      "aws_s3_bucket_policy.destination_my-app-data-backup",
    );
  });

  test("lists what a source stack forgets when its destination becomes shared, without a destroy warning", () => {
    const plan = {
      format_version: "1.2",
      resource_changes: [
        {
          address: "aws_s3_bucket_versioning.destination_acme-central-log-archive",
          type: "aws_s3_bucket_versioning",
          mode: "managed",
          change: { actions: ["forget"], before: {}, after: null },
        },
      ],
    };
    const summary = summarizePlan("replication-acme-payments-logs", plan);
    expect(summary.warnings).toEqual([]);
    expect(summaryMarkdown(summary).split("\n").slice(0, 5)).toEqual([
      "### replication-acme-payments-logs: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to forget",
      "",
      "| action | address |",
      "| --- | --- |",
      "| forget (stays in AWS) | `aws_s3_bucket_versioning.destination_acme-central-log-archive` |",
    ]);
  });

  test("says so when nothing changes", () => {
    expect(summaryMarkdown(summarizePlan("s", { format_version: "1.2", resource_changes: [] }))).toBe(
      "### s: 0 to add, 0 to change, 0 to replace, 0 to destroy\n\nNo changes.\n",
    );
  });

  test("refuses a file that is not a Terraform JSON plan", () => {
    expect(() => summarizePlan("s", { resource_changes: [] })).toThrow(
      "s: not a Terraform JSON plan (no format_version)",
    );
  });

  test("diffs policies by content, whatever the key order", () => {
    expect(policyDiff({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe("");
  });
});
