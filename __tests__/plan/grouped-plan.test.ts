/**
 * `npm run plan`, `apply` and `adopt` on a grouped root: one stack (per-account layout) holding two
 * replications from one account. The fake Terraform shows grouped-first-apply.json, the first plan
 * of that stack (each per-replication address carries its source bucket).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand, GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import { runStacksCommand } from "../../lib/cli/stacks-command";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { perAccountConfig } from "../helpers/config";
import { planWorkspace } from "../helpers/plan-run";
import { OTHER_TEAM_STATEMENT } from "../helpers/statements";
import { tempDir, writeConfig } from "../helpers/synth-run";

const STACK = "replication-account-source";

const perAccount = perAccountConfig;

function workspace(config = perAccount()) {
  const configFile = writeConfig(config);
  const ws = planWorkspace(configFile);
  ws.terraform.shows = ws.fixture("grouped-first-apply.json");
  return { ...ws, configFile };
}

const liveRule = (id: string, bucket: string) => ({
  ReplicationConfiguration: {
    Role: "arn:aws:iam::111122223333:role/old",
    Rules: [
      {
        ID: id,
        Priority: 1,
        Filter: {},
        Status: "Enabled" as const,
        DeleteMarkerReplication: { Status: "Enabled" as const },
        Destination: { Bucket: `arn:aws:s3:::${bucket}`, Account: "999988887777" },
      },
    ],
  },
});

describe("npm run plan: a stack of several replications", () => {
  test("plans the one root once, and lists its changes bucket by bucket", async () => {
    const ws = workspace();
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(ws.terraform.calls).toEqual([
      ["terraform init -input=false -no-color", `stacks/${STACK}`],
      ["terraform plan -input=false -no-color -detailed-exitcode -out=replication.tfplan", `stacks/${STACK}`],
      ["terraform show -json replication.tfplan", `stacks/${STACK}`],
    ]);
    expect(result.stdout).toContain(
      [
        `### ${STACK}: 16 to add, 0 to change, 0 to replace, 0 to destroy`,
        "",
        "- `my-app-data-prod`: versioning is Never enabled; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
        "- `my-app-data-backup`: versioning is Never enabled; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
        "- `my-app-logs-prod`: versioning is Never enabled; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
        "- `my-app-logs-backup`: versioning is Never enabled; the apply enables it (a versioned bucket can be suspended later, never unversioned again)",
        "",
        "| bucket | add | change | replace | destroy | forget |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| `my-app-data-prod` | 8 | 0 | 0 | 0 | 0 |",
        "| `my-app-logs-prod` | 8 | 0 | 0 | 0 | 0 |",
        "",
        "#### replication `my-app-data-prod`: 8 to add, 0 to change, 0 to replace, 0 to destroy",
        "",
        "| action | address |",
        "| --- | --- |",
        "| add | `aws_iam_role.batch_replication_my-app-data-prod` |",
      ].join("\n"),
    );
    expect(result.stdout).toContain(
      [
        "#### replication `my-app-logs-prod`: 8 to add, 0 to change, 0 to replace, 0 to destroy",
        "",
        "| action | address |",
        "| --- | --- |",
        "| add | `aws_iam_role.batch_replication_my-app-logs-prod` |",
        "| add | `aws_iam_role.replication_my-app-logs-prod` |",
        "| add | `aws_iam_role_policy.batch_replication_my-app-logs-prod` |",
        "| add | `aws_iam_role_policy.replication_my-app-logs-prod` |",
        "| add | `aws_s3_bucket_policy.destination_my-app-logs-backup` |",
        "| add | `aws_s3_bucket_replication_configuration.replication_my-app-logs-prod` |",
        "| add | `aws_s3_bucket_versioning.destination_my-app-logs-backup` |",
        "| add | `aws_s3_bucket_versioning.source_my-app-logs-prod` |",
      ].join("\n"),
    );
    expect(result.stderr).toContain("plan: saved 1 plan(s): review the summary, then `npm run apply`");
  });

  test("checks each replication's own source bucket: a live rule of the second is refused under replications[1]", async () => {
    const ws = workspace();
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand, { Bucket: "my-app-logs-prod" })
      .resolves(liveRule("old-logs-rule", "elsewhere"));
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(ws.terraform.calls).toEqual([]);
    expect(result.stdout).toContain(
      `> **REFUSED: \`${STACK}\`: the apply would remove 1 replication rule(s) that \`my-app-logs-prod\` has and the config does not (id \`old-logs-rule\`). Add them to \`replications[1].rules\`, or set \`replications[1].replaceExistingRules\` to true if removing them is intended (or plan with --replace-existing).**`,
    );
    expect(result.stdout).not.toContain("my-app-data-prod` has");
  });

  test("compares a created configuration with its own bucket's live rules, by bucket", async () => {
    const ws = workspace();
    // The first bucket already has the config's rule id, with another destination: rewritten.
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand, { Bucket: "my-app-data-prod" })
      .resolves(liveRule("CrossAccountReplicationRule", "other-bucket"));
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `> **REFUSED: \`${STACK}\`: the apply would rewrite 1 replication rule(s) that \`my-app-data-prod\` has under the same id with other content (id \`CrossAccountReplicationRule\`; before and after below). Make the config's rule say what the bucket's says, or set \`replications[0].replaceExistingRules\` to true if rewriting them is intended (or plan with --replace-existing).**`,
    );
    expect(result.stdout).toContain(
      "  - destination bucket: `arn:aws:s3:::other-bucket` → `arn:aws:s3:::my-app-data-backup`",
    );
    expect(existsSync(join(ws.stackDir(STACK), PLAN_FILE))).toBe(false);
  });

  test("records the planned rules of every configuration it creates, by source bucket", async () => {
    const ws = workspace();
    await ws.command([]);
    const record = JSON.parse(readFileSync(join(ws.stackDir(STACK), PLAN_RECORD_FILE), "utf8"));
    expect(Object.keys(record.plannedRules)).toEqual(["my-app-data-prod", "my-app-logs-prod"]);
    expect(record.plannedRules["my-app-logs-prod"].map((r: { id: string }) => r.id)).toEqual(["LogsRule"]);
  });

  test("adopt keeps a destination's statement under the replication that writes that destination", async () => {
    const ws = workspace();
    ws.aws
      .account("444455556666")
      .s3.on(GetBucketPolicyCommand, { Bucket: "my-app-logs-backup" })
      .resolves({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [OTHER_TEAM_STATEMENT] }) });
    const adopted = await ws.adopt([STACK]);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain("kept Sid OtherTeamRead of my-app-logs-backup's bucket policy");
    const config = JSON.parse(readFileSync(ws.configFile, "utf8"));
    expect(config.replications[1].destinationPolicies["my-app-logs-backup"].additionalStatements).toEqual([
      OTHER_TEAM_STATEMENT,
    ]);
    expect(config.replications[0].destinationPolicies).toBeUndefined();
  });
});

describe("no changes", () => {
  test("plan -detailed-exitcode 0: no show -json, the stack says no changes, and apply leaves it alone", async () => {
    const ws = workspace();
    ws.terraform.planExit = { [STACK]: 0 };
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(ws.terraform.calls.map(([c]) => c)).toEqual([
      "terraform init -input=false -no-color",
      "terraform plan -input=false -no-color -detailed-exitcode -out=replication.tfplan",
    ]);
    expect(result.stdout).toContain(`### ${STACK}: no changes\n`);
    ws.terraform.calls.length = 0;
    const applied = await ws.apply(["--auto-approve"]);
    expect(applied.code).toBe(0);
    expect(ws.terraform.calls).toEqual([]);
    expect(applied.stdout).toContain(`### ${STACK}: no changes`);
    expect(applied.stderr).toContain("apply: no changes in 1 stack(s): nothing to apply");
  });

  test("exit 2 with only the existing-policy guard's reads is no changes too", async () => {
    const ws = workspace();
    ws.terraform.shows = ws.fixture("guard-reads-only.json");
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`### ${STACK}: no changes\n`);
    const record = JSON.parse(readFileSync(join(ws.stackDir(STACK), PLAN_RECORD_FILE), "utf8"));
    expect(record.noChanges).toBe(true);
  });
});

describe("npm run stacks --shards", () => {
  test("lists the layout's roots: a per-account config's sources in one job each, after the shared destination", async () => {
    const config = JSON.parse(readFileSync(join(process.cwd(), "examples/central-log-archive.json"), "utf8"));
    config.$schema = undefined;
    config.stackLayout = "per-account";
    const stdout: string[] = [];
    const code = await runStacksCommand(["--shards", "2"], {
      env: { CDKTF_OUTDIR: join(tempDir(), "cdktf.out"), REPLICATION_CONFIG: writeConfig(config) },
      stdout: (t) => stdout.push(t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout[0])).toEqual([
      "replication-destination-acme-central-log-archive replication-account-analytics",
      "replication-account-payments replication-account-search",
    ]);
  });
});
