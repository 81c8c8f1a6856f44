/**
 * `npm run move -- --from per-bucket` on a config now in the per-account layout: the old
 * per-bucket stacks' states (what `terraform show -json` prints there, given here) are matched
 * with the per-account root by what each resource is in AWS, not by its address.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runMoveCommand } from "../../lib/cli/move-command";
import type { ConfigInput } from "../../lib/config/schema";
import type { CommandResult } from "../../lib/plan/run-plan";
import { guideConfig } from "../helpers/config";
import { tempDir, writeConfig } from "../helpers/synth-run";

function perAccount(): ConfigInput {
  const config = guideConfig();
  config.backend = { type: "local" } as never;
  config.stackLayout = "per-account";
  config.replications.push({
    source: { account: "source", bucket: "my-app-logs-prod" },
    rules: [{ id: "LogsRule", priority: 1, destination: { account: "backup", bucket: "my-app-logs-backup" } }],
  });
  return config;
}

/** The state of an applied per-bucket stack: each resource with the id its provider stored. */
function state(bucket: string, destination: string, role: string): string {
  const r = (address: string, values: object) => ({
    address,
    mode: "managed",
    type: address.split(".")[0],
    values,
  });
  return JSON.stringify({
    values: {
      root_module: {
        resources: [
          r("aws_iam_role.replication", { id: role, name: role }),
          r("aws_iam_role_policy.replication", {
            id: `${role}:S3ReplicationPermissionsPolicy`,
            role,
            name: "S3ReplicationPermissionsPolicy",
          }),
          r("aws_iam_role.batch_replication", {
            id: `s3-batch-replication-${bucket}`,
            name: `s3-batch-replication-${bucket}`,
          }),
          r("aws_iam_role_policy.batch_replication", {
            id: `s3-batch-replication-${bucket}:S3BatchReplicationPolicy`,
            role: `s3-batch-replication-${bucket}`,
            name: "S3BatchReplicationPolicy",
          }),
          r("aws_s3_bucket_versioning.source", { id: bucket, bucket }),
          r(`aws_s3_bucket_versioning.destination_${destination}`, { id: destination, bucket: destination }),
          r(`aws_s3_bucket_policy.destination_${destination}`, { id: destination, bucket: destination }),
          r("aws_s3_bucket_replication_configuration.replication", { id: bucket, bucket }),
        ],
      },
    },
  });
}

async function moveRun(states: Record<string, string>) {
  const root = tempDir();
  const calls: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const run = async (command: string, args: readonly string[], cwd: string): Promise<CommandResult> => {
    const stack = cwd.split("/").pop() as string;
    calls.push(`${command} ${args.join(" ")} in ${stack}`);
    return { code: 0, stdout: args[0] === "show" ? (states[stack] ?? "") : "", stderr: "" };
  };
  const out = join(root, "move");
  const code = await runMoveCommand(["--from", "per-bucket", "--out", out], {
    env: { CDKTF_OUTDIR: join(root, "cdktf.out"), REPLICATION_CONFIG: writeConfig(perAccount()) },
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    run,
  });
  return { code, calls, stdout: stdout.join("\n"), stderr: stderr.join("\n"), out, root };
}

const STATES = {
  "replication-my-app-data-prod": state("my-app-data-prod", "my-app-data-backup", "s3-replication-my-app-data-prod"),
  "replication-my-app-logs-prod": state("my-app-logs-prod", "my-app-logs-backup", "s3-replication-my-app-logs-prod"),
};

describe("npm run move -- --from per-bucket", () => {
  test("reads each old stack's state, and writes imports into the new root and removed blocks for the old ones", async () => {
    const result = await moveRun(STATES);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      "terraform init -input=false -no-color in replication-my-app-data-prod",
      "terraform show -json in replication-my-app-data-prod",
      "terraform init -input=false -no-color in replication-my-app-logs-prod",
      "terraform show -json in replication-my-app-logs-prod",
    ]);
    const imports = JSON.parse(readFileSync(join(result.out, "replication-account-source", "imports.tf.json"), "utf8"));
    expect(imports.import.slice(0, 8)).toEqual([
      { to: "aws_iam_role.replication_my-app-data-prod", id: "s3-replication-my-app-data-prod" },
      {
        to: "aws_iam_role_policy.replication_my-app-data-prod",
        id: "s3-replication-my-app-data-prod:S3ReplicationPermissionsPolicy",
      },
      { to: "aws_iam_role.batch_replication_my-app-data-prod", id: "s3-batch-replication-my-app-data-prod" },
      {
        to: "aws_iam_role_policy.batch_replication_my-app-data-prod",
        id: "s3-batch-replication-my-app-data-prod:S3BatchReplicationPolicy",
      },
      { to: "aws_s3_bucket_versioning.source_my-app-data-prod", id: "my-app-data-prod" },
      { to: "aws_s3_bucket_versioning.destination_my-app-data-backup", id: "my-app-data-backup" },
      { to: "aws_s3_bucket_policy.destination_my-app-data-backup", id: "my-app-data-backup" },
      { to: "aws_s3_bucket_replication_configuration.replication_my-app-data-prod", id: "my-app-data-prod" },
    ]);
    expect(imports.import).toHaveLength(16);
    const retired = JSON.parse(
      readFileSync(join(result.out, "retire-replication-my-app-logs-prod", "main.tf.json"), "utf8"),
    );
    expect(retired.resource).toBeUndefined();
    expect(retired.removed[0]).toEqual({ from: "aws_iam_role.replication", lifecycle: { destroy: false } });
    expect(retired.removed).toHaveLength(8);
    expect(retired.terraform.backend).toEqual({
      local: { path: join(result.root, "terraform.replication-my-app-logs-prod.tfstate") },
    });
    expect(result.stdout).toContain(
      "move: 16 resource(s) change roots, from 2 per-bucket stack(s) into 1 stack(s); nothing is created or destroyed in AWS.",
    );
  });

  test("writes nothing when a resource of an old state has no root in the new layout", async () => {
    const result = await moveRun({
      ...STATES,
      "replication-my-app-logs-prod": STATES["replication-my-app-logs-prod"].replace(
        '"bucket":"my-app-logs-backup"}',
        '"bucket":"someone-elses-bucket"}',
      ),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "no root of the config's layout holds replication-my-app-logs-prod: aws_s3_bucket_versioning.destination_my-app-logs-backup",
    );
    expect(existsSync(result.out)).toBe(false);
  });
});
