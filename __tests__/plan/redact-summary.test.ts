/**
 * Public repositories: `--redact-summary` or REPLICATION_REDACT_SUMMARY=1 shows live bucket-policy
 * statements only as a count and their Sids, on stdout, in $GITHUB_STEP_SUMMARY and in the saved
 * record that apply prints.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { planWorkspace } from "../helpers/plan-run";
import { OTHER_TEAM_STATEMENT } from "../helpers/statements";

const DEFAULT_STACK = "replication-my-app-data-prod";
const otherTeam = OTHER_TEAM_STATEMENT;

function withLivePolicy() {
  const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
  ws.aws
    .account("444455556666")
    .s3.on(GetBucketPolicyCommand)
    .resolves({
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [otherTeam, { ...otherTeam, Sid: undefined }] }),
    });
  return ws;
}

describe("a redacted plan summary", () => {
  test.each([
    ["--redact-summary", ["--redact-summary"], {}],
    ["REPLICATION_REDACT_SUMMARY=1", [], { REPLICATION_REDACT_SUMMARY: "1" }],
  ])("with %s names the live statements by Sid only, everywhere the summary goes", async (_, args, env) => {
    const ws = withLivePolicy();
    const result = await ws.command(["--replace-existing", ...args], { env });
    expect(result.code).toBe(0);
    const record = JSON.parse(readFileSync(join(ws.stackDir(DEFAULT_STACK), PLAN_RECORD_FILE), "utf8"));
    for (const text of [result.stdout, readFileSync(ws.summaryFile, "utf8"), record.summary]) {
      expect(text).toContain(
        "- bucket policy of `my-app-data-backup`: statement Sid `OtherTeamRead` (text not shown: redacted summary)",
      );
      expect(text).toContain(
        "- bucket policy of `my-app-data-backup`: statement without Sid (text not shown: redacted summary)",
      );
      expect(text).not.toContain("777788889999");
    }
  });

  test("without the switch, the statements are shown in full", async () => {
    const result = await withLivePolicy().command(["--replace-existing"]);
    expect(result.stdout).toContain('"AWS": "arn:aws:iam::777788889999:root"');
  });

  test("a bucket policy's diff becomes counts and Sids; the role's policy, which the config writes, stays a diff", async () => {
    const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
    ws.terraform.shows = ws.fixture("rule-change.json");
    const result = await ws.command(["--redact-summary"]);
    expect(result.stdout).toContain(
      [
        "<details><summary><code>aws_s3_bucket_policy.destination_my-app-data-backup</code> policy</summary>",
        "",
        "Statement text not shown (redacted summary): before 2 statement(s) (`AllowReplicationFromSourceRole`, `AllowReplicationVersioningCheck`); after no policy.",
        "",
        "</details>",
      ].join("\n"),
    );
    expect(result.stdout).toContain('+      "Resource": "arn:aws:s3:::my-app-data-prod/invoices/*",');
    expect(result.stdout).not.toContain(
      '-      "Resource": "arn:aws:s3:::my-app-data-backup/*",\n-      "Sid": "AllowReplicationFromSourceRole"',
    );
  });
});
