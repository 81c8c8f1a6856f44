import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand, GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { awsError } from "../helpers/aws-mocks";
import { planWorkspace } from "../helpers/plan-run";
import { writeConfig } from "../helpers/synth-run";

const config = (name: string) => join(process.cwd(), name);
const DEFAULT_STACK = "replication-my-app-data-prod";
const applyCalls = (ws: ReturnType<typeof planWorkspace>) =>
  ws.terraform.calls.filter(([c]) => c.startsWith("terraform apply"));

async function planned(file = config("replication.config.json")) {
  const ws = planWorkspace(file);
  expect((await ws.command([])).code).toBe(0);
  ws.terraform.calls.length = 0;
  return ws;
}

describe("npm run apply", () => {
  test("applies the saved plan with --auto-approve, after showing its summary", async () => {
    const ws = await planned();
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(0);
    // The plan file's changes are read again (init, show) before anything is applied.
    expect(ws.terraform.calls).toEqual([
      ["terraform init -input=false -no-color", `stacks/${DEFAULT_STACK}`],
      ["terraform show -json replication.tfplan", `stacks/${DEFAULT_STACK}`],
      ["terraform init -input=false -no-color", `stacks/${DEFAULT_STACK}`],
      ["terraform apply -input=false -no-color replication.tfplan", `stacks/${DEFAULT_STACK}`],
    ]);
    expect(result.stdout).toContain(`## Replication plan to apply\n\n### ${DEFAULT_STACK}: 2 to add`);
    expect(result.stdout).toContain(`### ${DEFAULT_STACK}: applied`);
  });

  test("spends the plan: a second apply finds nothing to apply", async () => {
    const ws = await planned();
    await ws.apply(["--auto-approve"]);
    const again = await ws.apply(["--auto-approve"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: no saved plan: run \`npm run plan\` and review it first`,
    );
  });

  test("refuses when the config synthesizes to different JSON than was planned", async () => {
    const raw = JSON.parse(readFileSync(config("replication.config.json"), "utf8"));
    raw.$schema = undefined;
    const file = writeConfig(raw);
    const ws = await planned(file);
    raw.replications[0].rules[0].priority = 2;
    writeFileSync(file, JSON.stringify(raw));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `apply: nothing applied:\n  ${DEFAULT_STACK}: the synthesized JSON changed since the plan: run \`npm run plan\` again and review it`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses a plan file that is not the one summarized", async () => {
    const ws = await planned();
    writeFileSync(join(ws.outdir, "stacks", DEFAULT_STACK, PLAN_FILE), "another plan");
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: replication.tfplan is not the plan that was summarized: run \`npm run plan\` again`,
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses without a terminal to ask and without --auto-approve", async () => {
    const ws = await planned();
    const result = await ws.apply([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "apply: nothing applied: there is no terminal to ask for approval; pass --auto-approve to apply the reviewed plans without asking",
    );
    expect(applyCalls(ws)).toEqual([]);
    expect(existsSync(join(ws.outdir, "stacks", DEFAULT_STACK, PLAN_RECORD_FILE))).toBe(true);
  });

  test("on a terminal, asks and applies only on yes", async () => {
    const ws = await planned();
    const no = await ws.apply([], { isTTY: true, answer: "y" });
    expect(no.questions).toEqual(['Apply the saved plans of 1 stack(s) shown above? Only "yes" applies: ']);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain("apply: nothing applied: the plans were not approved");
    expect(applyCalls(ws)).toEqual([]);
    const yes = await ws.apply([], { isTTY: true, answer: "yes" });
    expect(yes.code).toBe(0);
    expect(applyCalls(ws)).toHaveLength(1);
  });

  test("applies the stacks that change and says which did not, when only some do", async () => {
    const ws = planWorkspace(config("examples/two-way.json"));
    ws.terraform.planExit = { "replication-acme-shared-west": 0 };
    expect((await ws.command([])).code).toBe(0);
    ws.terraform.calls.length = 0;
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(0);
    expect(applyCalls(ws).map(([, stack]) => stack)).toEqual(["stacks/replication-acme-shared-east"]);
    expect(result.stdout).toContain(
      "## Replication apply\n\n### replication-acme-shared-east: applied\n\n### replication-acme-shared-west: no changes\n",
    );
  });

  test("applies nothing when the config no longer synthesizes, and says why", async () => {
    const ws = await planned();
    const file = writeConfig("{ not json");
    const result = await ws.apply(["--auto-approve"], { env: { REPLICATION_CONFIG: file } });
    expect(result.code).toBe(2);
    // The parser's own words in the parentheses differ between Node.js releases.
    expect(result.stderr).toMatch(
      /^(.+): 1 problem; nothing was synthesized\.\n {2}- \(top level\): the file is not valid JSON at line 1, column 3 \(.+\): fix the syntax there$/,
    );
    expect(result.stderr.startsWith(`${file}: `)).toBe(true);
    expect(result.stdout).toBe("");
    expect(ws.terraform.calls).toEqual([]);
  });

  test("prints Terraform's error when an apply fails, and skips the stacks that depend on it", async () => {
    const ws = await planned(config("examples/two-way.json"));
    ws.terraform.failOn = {
      subcommand: "apply",
      stack: "replication-acme-shared-east",
      stderr: "Error: creating IAM Role: AccessDenied",
    };
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "replication-acme-shared-east: terraform apply failed (exit 1)\nError: creating IAM Role: AccessDenied",
    );
    expect(result.stdout).toContain(
      "### replication-acme-shared-west: skipped\n\nreplication-acme-shared-east did not complete.",
    );
    expect(applyCalls(ws).map(([, stack]) => stack)).toEqual(["stacks/replication-acme-shared-east"]);
  });

  test("refuses, before anything is written, a stack whose prerequisite stack is not applied", async () => {
    const ws = await planned(config("examples/two-way.json"));
    // The east stack manages versioning of both buckets; west's is Enabled, east's is not.
    ws.aws.account("444455556666").s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    ws.aws.account("111122223333").s3.on(GetBucketVersioningCommand).resolves({ Status: "Suspended" });
    const result = await ws.apply(["--auto-approve", "replication-acme-shared-west"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "apply: nothing applied:\n  replication-acme-shared-west: apply replication-acme-shared-east first: it manages acme-shared-east, which has versioning Suspended; replication needs versioning Enabled on every bucket it uses",
    );
    expect(result.stderr).not.toContain("it manages acme-shared-west");
    expect(ws.terraform.calls).toEqual([]);
  });

  test("refuses a source of a shared destination before the destination stack is applied", async () => {
    const ws = await planned(config("examples/central-log-archive.json"));
    ws.aws.account("999988887777").s3.on(GetBucketVersioningCommand).rejects(awsError("NoSuchBucket"));
    const result = await ws.apply(["--auto-approve", "replication-acme-payments-logs"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "replication-acme-payments-logs: apply replication-destination-acme-central-log-archive first: it manages acme-central-log-archive, which does not exist yet; replication needs versioning Enabled on every bucket it uses",
    );
    expect(ws.terraform.calls).toEqual([]);
  });

  test("applies a stack alone once its prerequisite stack has enabled versioning", async () => {
    const ws = await planned(config("examples/two-way.json"));
    for (const account of ["111122223333", "444455556666"]) {
      ws.aws.account(account).s3.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
    }
    const result = await ws.apply(["--auto-approve", "replication-acme-shared-west"]);
    expect(result.code).toBe(0);
    expect(applyCalls(ws).map(([, stack]) => stack)).toEqual(["stacks/replication-acme-shared-west"]);
  });

  describe("existing buckets read again", () => {
    const statement = {
      Sid: "AddedSincePlan",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::777788889999:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::my-app-data-backup/*",
    };
    const policyNow = (ws: ReturnType<typeof planWorkspace>) =>
      ws.aws
        .account("444455556666")
        .s3.on(GetBucketPolicyCommand)
        .resolves({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) });

    test("refuses when a bucket gained something since the plan that the apply would remove", async () => {
      const ws = await planned();
      policyNow(ws);
      const result = await ws.apply(["--auto-approve"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `apply: nothing applied:\n  ${DEFAULT_STACK}: the apply would now also remove or rewrite what the reviewed plan did not show (statement Sid AddedSincePlan of my-app-data-backup's bucket policy): run \`npm run plan\` again and review it`,
      );
      expect(ws.terraform.calls).toEqual([]);
    });

    test("applies a removal the reviewed plan listed", async () => {
      const ws = planWorkspace(config("replication.config.json"));
      policyNow(ws);
      expect((await ws.command(["--replace-existing"])).code).toBe(0);
      const result = await ws.apply(["--auto-approve"]);
      expect(result.code).toBe(0);
      expect(applyCalls(ws)).toHaveLength(1);
    });
  });
});
