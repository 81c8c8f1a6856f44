/**
 * The existing-bucket check compares whole rules: a live rule with the config's id but other
 * content (another account's destination bucket) is listed before -> after and refused unless
 * the config opts in, as removals are. The fake Terraform shows the default config's real first
 * plan (default-first-apply.json), which creates the replication configuration.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketReplicationCommand, type GetBucketReplicationCommandOutput } from "@aws-sdk/client-s3";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import { planWorkspace } from "../helpers/plan-run";
import { writeConfig } from "../helpers/synth-run";

const DEFAULT_STACK = "replication-my-app-data-prod";
const defaultConfig = () => {
  const raw = JSON.parse(readFileSync(join(process.cwd(), "replication.config.json"), "utf8"));
  raw.$schema = undefined;
  return raw;
};

/** The config's rule as S3 would return it, but replicating into another account's bucket. */
const redirected = (bucket: string, account: string): Omit<GetBucketReplicationCommandOutput, "$metadata"> => ({
  ReplicationConfiguration: {
    Role: "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole",
    Rules: [
      {
        ID: "CrossAccountReplicationRule",
        Priority: 1,
        Filter: {},
        Status: "Enabled" as const,
        DeleteMarkerReplication: { Status: "Enabled" },
        Destination: {
          Bucket: `arn:aws:s3:::${bucket}`,
          Account: account,
          AccessControlTranslation: { Owner: "Destination" },
        },
      },
    ],
  },
});

function workspace(config = defaultConfig()) {
  const ws = planWorkspace(writeConfig(config));
  ws.terraform.shows = ws.fixture("default-first-apply.json");
  ws.aws
    .account("111122223333")
    .s3.on(GetBucketReplicationCommand)
    .resolves(redirected("other-bucket", "999988887777"));
  return ws;
}

describe("a live rule with the config's id and other content", () => {
  test("is listed before and after, and the plan is refused and not kept", async () => {
    const ws = workspace();
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `> **REFUSED: \`${DEFAULT_STACK}\`: the apply would rewrite 1 replication rule(s) that \`my-app-data-prod\` has under the same id with other content (id \`CrossAccountReplicationRule\`; before and after below). Make the config's rule say what the bucket's says, or set \`replications[0].replaceExistingRules\` to true if rewriting them is intended (or plan with --replace-existing).**`,
    );
    expect(result.stdout).toContain(
      [
        "- replication configuration of `my-app-data-prod`: rule `CrossAccountReplicationRule` is rewritten:",
        "  - destination bucket: `arn:aws:s3:::other-bucket` → `arn:aws:s3:::my-app-data-backup`",
        "  - destination account: `999988887777` → `444455556666`",
      ].join("\n"),
    );
    expect(result.stderr).toContain(`plan: saved 0 plan(s); 1 stack(s) not planned: ${DEFAULT_STACK}`);
    expect(existsSync(join(ws.stackDir(DEFAULT_STACK), PLAN_FILE))).toBe(false);
    expect(existsSync(join(ws.stackDir(DEFAULT_STACK), PLAN_RECORD_FILE))).toBe(false);
  });

  test("is planned when the config says rewriting is intended, with the rule's change and a warning in the summary", async () => {
    const config = defaultConfig();
    config.replications[0].replaceExistingRules = true;
    const ws = workspace(config);
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      [
        "- rule `CrossAccountReplicationRule` changes:",
        "  - destination bucket: `arn:aws:s3:::other-bucket` → `arn:aws:s3:::my-app-data-backup`",
        "  - destination account: `999988887777` → `444455556666`",
      ].join("\n"),
    );
    expect(result.stdout).toContain(
      "> **WARNING: rule `CrossAccountReplicationRule` of `aws_s3_bucket_replication_configuration.replication` keeps its id but replicates to another destination",
    );
  });

  test("a rule that is the config's in every field is no change and no refusal", async () => {
    const ws = workspace();
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand)
      .resolves(redirected("my-app-data-backup", "444455556666"));
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("CrossAccountReplicationRule` changes");
    expect(result.stdout).not.toContain("is rewritten");
  });

  test("apply refuses when the live rule changed again after the reviewed plan", async () => {
    const ws = workspace();
    expect((await ws.command(["--replace-existing"])).code).toBe(0);
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand)
      .resolves(redirected("third-bucket", "777788889999"));
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${DEFAULT_STACK}: the apply would now also remove or rewrite what the reviewed plan did not show (the content of replication rule CrossAccountReplicationRule of my-app-data-prod)`,
    );
    expect(ws.terraform.calls.filter(([c]) => c.startsWith("terraform apply"))).toEqual([]);
  });

  test("apply goes ahead when the live rule is still the one the reviewed plan showed", async () => {
    const ws = workspace();
    expect((await ws.command(["--replace-existing"])).code).toBe(0);
    const result = await ws.apply(["--auto-approve"]);
    expect(result.code).toBe(0);
  });
});
