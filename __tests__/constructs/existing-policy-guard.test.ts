import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { terraformPermissions } from "../../lib/operator-policy/terraform-permissions";
import { configWith, exampleConfig, guideConfig, synthStack } from "../helpers/config";
import { synthRun, writeConfig } from "../helpers/synth-run";

type Json = Record<string, any>;

/** Every stack of a config file, synthesized as `npm run synth` writes them. */
function stacksOf(config: object): Record<string, Json> {
  const run = synthRun(writeConfig(config));
  if (run.code !== 0) throw new Error(run.stderr.join("\n"));
  const dir = join(run.outdir, "stacks");
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name, JSON.parse(readFileSync(join(dir, name, "cdk.tf.json"), "utf8"))]),
  );
}

const checksOf = (json: Json): Json => json.check ?? {};

describe("existing bucket policy guard (a check block in the synthesized Terraform)", () => {
  test("reads the live policy and asserts that each of its statements is one the stack writes", () => {
    const { json } = synthStack(guideConfig()) as { json: Json };
    const foreign =
      '[for s in flatten([jsondecode(data.aws_s3_bucket_policy.existing_destination_my-app-data-backup.policy).Statement]) : s if !anytrue([for o in flatten([jsondecode(aws_s3_bucket_policy.destination_my-app-data-backup.policy).Statement]) : o == s || try(s.Sid != null && s.Sid != "" && s.Sid == o.Sid, false)])]';
    expect(json.check).toEqual({
      "existing_bucket_policy_destination_my-app-data-backup": {
        data: {
          aws_s3_bucket_policy: {
            "existing_destination_my-app-data-backup": { bucket: "my-app-data-backup", provider: "aws.destination" },
          },
        },
        assert: [
          {
            condition: `\${length(${foreign}) == 0}`,
            error_message: `The bucket policy of my-app-data-backup has statements this stack does not write (\${join(", ", [for s in ${foreign} : try(s.Sid != null && s.Sid != "" ? "Sid \${s.Sid}" : "a statement without Sid", "a statement without Sid")])}): the apply replaces the whole policy and removes them. To keep them, add them to the config (npm run adopt copies them into additionalStatements); to remove them on purpose, set replaceExistingStatements.`,
          },
        ],
      },
    });
  });

  test("leaves a bucket the stack creates alone: it has no policy to take over", () => {
    const created = configWith((c) => {
      c.replications[0].rules[0].destination.create = true;
    });
    expect((synthStack(created).json as Json).check).toBeUndefined();
    expect(Object.values(stacksOf(exampleConfig("new-buckets"))).map(checksOf)).toEqual([{}, {}]);
  });

  test("guards each existing destination of a fan-out on that destination's provider", () => {
    const { json } = synthStack(exampleConfig("fan-out")) as { json: Json };
    for (const [name, policy] of Object.entries(json.resource.aws_s3_bucket_policy) as Array<[string, Json]>) {
      expect(json.check[`existing_bucket_policy_${name}`].data.aws_s3_bucket_policy[`existing_${name}`]).toEqual({
        bucket: policy.bucket,
        provider: policy.provider,
      });
    }
    const data = Object.values(json.check as Record<string, Json>).map((c) => c.data.aws_s3_bucket_policy);
    expect(Object.keys(json.check)).toEqual([
      "existing_bucket_policy_destination_acme-events-analytics",
      "existing_bucket_policy_destination_acme-events-backup-eu",
      "existing_bucket_policy_destination_acme-events-backup-us",
    ]);
    expect(data).toEqual([
      {
        "existing_destination_acme-events-analytics": {
          bucket: "acme-events-analytics",
          provider: "aws.destination_analytics",
        },
      },
      {
        "existing_destination_acme-events-backup-eu": {
          bucket: "acme-events-backup-eu",
          provider: "aws.destination_backup_eu_central_1",
        },
      },
      {
        "existing_destination_acme-events-backup-us": {
          bucket: "acme-events-backup-us",
          provider: "aws.destination_backup_us_west_2",
        },
      },
    ]);
  });

  test("guards an existing shared destination's one policy in its destination stack, and in no source stack", () => {
    const existingArchive = exampleConfig("central-log-archive");
    for (const r of existingArchive.replications) delete r.rules[0].destination.create;
    const stacks = stacksOf(existingArchive);
    expect(
      Object.fromEntries(Object.entries(stacks).map(([name, json]) => [name, Object.keys(checksOf(json))])),
    ).toEqual({
      "replication-acme-analytics-logs": [],
      "replication-acme-payments-logs": [],
      "replication-acme-search-logs": [],
      "replication-destination-acme-central-log-archive": [
        "existing_bucket_policy_destination_acme-central-log-archive",
      ],
    });
  });

  test.each(readdirSync(join(process.cwd(), "examples")).filter((f) => f.endsWith(".json")))(
    "needs no read the operator plan policy lacks (%s)",
    (file) => {
      for (const json of Object.values(stacksOf(exampleConfig(file.replace(/\.json$/, ""))))) {
        const { plan } = terraformPermissions(json);
        const accounts = new Map<string, string>(
          json.provider.aws.map((p: Json) => [`aws.${p.alias}`, p.allowed_account_ids[0]]),
        );
        for (const check of Object.values(checksOf(json)) as Json[]) {
          for (const read of Object.values(check.data.aws_s3_bucket_policy) as Json[]) {
            expect(plan).toContainEqual({
              accountId: accounts.get(read.provider),
              action: "s3:GetBucketPolicy",
              resource: `arn:aws:s3:::${read.bucket}`,
            });
          }
        }
      }
    },
  );
});
