/**
 * Preflight over stacks of several replications: each replication is proven on its own (its role,
 * its rules, its Batch Replication role and outputs), the order inside a stack is read from
 * depends_on, and one owner per bucket-level document holds across every stack. Each mutation
 * breaks a grouped stack's JSON the way a hand edit or a bug would.
 */
import type { ConfigInput } from "../../lib/config/schema";
import type { StackJson } from "../../lib/preflight/terraform-json";
import { exampleConfig } from "../helpers/config";
import type { Json } from "../helpers/loose-json";
import { editPolicy, failures, mutate, preflightStacks, synthesizedStacks } from "../helpers/preflight";

function layout(name: string, stackLayout: "per-account" | "single"): ConfigInput {
  return { ...exampleConfig(name), stackLayout };
}

async function failed(stacks: StackJson[]) {
  return failures(await preflightStacks(stacks)).map((f) => [f.stack, f.rule ?? "", f.check, f.resource, f.detail]);
}

const twoWay = synthesizedStacks(layout("two-way", "single"));
const twoWayAccounts = synthesizedStacks(layout("two-way", "per-account"));
const central = synthesizedStacks(layout("central-log-archive", "single"));
const org = synthesizedStacks(layout("org-log-archive", "single"));
const EAST_CONFIGURATION = "replication_acme-shared-east";
const EAST_ROLE = "arn:aws:iam::111122223333:role/s3-replication-acme-shared-east";
const WEST_ROLE = "arn:aws:iam::444455556666:role/s3-replication-acme-shared-west";

describe("preflight over grouped stacks", () => {
  test("proves every replication of a stack, each with its own role", async () => {
    for (const stacks of [twoWay, twoWayAccounts, central, org]) {
      expect(await failed(stacks)).toEqual([]);
    }
    const report = await preflightStacks(twoWay);
    const principals = report.results.filter((r) => r.check === "s3:ReplicateObject").map((r) => r.principal);
    expect(principals).toEqual([EAST_ROLE, WEST_ROLE]);
    const batch = report.results.filter((r) => r.rule === "(batch replication)" && r.check === "s3:PutObject");
    expect(batch.map((r) => [r.principal, r.resource, r.passed])).toEqual([
      [
        "arn:aws:iam::111122223333:role/s3-batch-replication-acme-shared-east",
        "arn:aws:s3:::acme-shared-east/batch-replication-reports/job-preflight/report.csv",
        true,
      ],
      [
        "arn:aws:iam::444455556666:role/s3-batch-replication-acme-shared-west",
        "arn:aws:s3:::acme-shared-west/batch-replication-reports/job-preflight/report.csv",
        true,
      ],
    ]);
  });

  test("a wrong role in one destination's policy fails that replication's writes only", async () => {
    const stacks = mutate(twoWay, (json) =>
      editPolicy(json.resource.aws_s3_bucket_policy["destination_acme-shared-west"], (p) => {
        for (const s of p.Statement) s.Principal = { AWS: `${EAST_ROLE}x` };
      }),
    );
    const object = "arn:aws:s3:::acme-shared-west/preflight/preflight-sample.txt";
    expect(await failed(stacks)).toEqual(
      ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"].map(
        (check) => ["replication-all", "east-to-west", check, object, "ImplicitlyDenied"],
      ),
    );
  });

  test("a configuration that does not wait for a versioning in its own stack", async () => {
    const stacks = mutate(twoWay, (json: Json) => {
      const configuration = json.resource.aws_s3_bucket_replication_configuration[EAST_CONFIGURATION];
      configuration.depends_on = configuration.depends_on.filter(
        (d: string) => d !== "aws_s3_bucket_versioning.destination_acme-shared-west",
      );
    });
    expect(await failed(stacks)).toEqual([
      [
        "replication-all",
        "",
        "versioning",
        "arn:aws:s3:::acme-shared-west",
        'the replication configuration does not wait for replication-all/aws_s3_bucket_versioning.destination_acme-shared-west: the first apply can fail with "Destination bucket must have versioning enabled"',
      ],
    ]);
  });

  test("a source's configuration that does not wait for the shared destination's policy in its stack", async () => {
    const stacks = mutate(central, (json: Json) => {
      const configuration = json.resource.aws_s3_bucket_replication_configuration["replication_acme-search-logs"];
      configuration.depends_on = configuration.depends_on.filter(
        (d: string) => d !== "aws_s3_bucket_policy.destination_acme-central-log-archive",
      );
    });
    expect(await failed(stacks)).toEqual([
      [
        "replication-all",
        "",
        "bucket policy order",
        "arn:aws:s3:::acme-central-log-archive",
        "aws_s3_bucket_replication_configuration.replication_acme-search-logs does not wait for replication-all/aws_s3_bucket_policy.destination_acme-central-log-archive: objects written before the policy lands fail to replicate",
      ],
    ]);
  });

  test("a replication configuration written by two stacks", async () => {
    const east = twoWayAccounts.find((s) => s.name === "replication-account-prod") as StackJson;
    const stacks = mutate(
      twoWayAccounts,
      (json: Json) => {
        json.resource.aws_s3_bucket_replication_configuration.copy_of_east = {
          ...(east.json as Json).resource.aws_s3_bucket_replication_configuration[EAST_CONFIGURATION],
        };
      },
      "replication-account-backup",
    );
    const twice =
      "the replication configuration is written 2 times (replication-account-backup/aws_s3_bucket_replication_configuration.copy_of_east, replication-account-prod/aws_s3_bucket_replication_configuration.replication_acme-shared-east): each apply overwrites the other, and destroying one removes it for both";
    expect((await failed(stacks)).filter(([, , check]) => check === "document owner")).toEqual([
      ["replication-account-backup", "", "document owner", "arn:aws:s3:::acme-shared-east", twice],
      ["replication-account-prod", "", "document owner", "arn:aws:s3:::acme-shared-east", twice],
    ]);
  });

  test("a configuration whose role is not at its own address", async () => {
    const stacks = mutate(twoWay, (json: Json) => {
      const roles = json.resource.aws_iam_role;
      roles.replication_renamed = roles[EAST_CONFIGURATION];
      delete roles[EAST_CONFIGURATION];
    });
    expect((await failed(stacks)).filter(([, , check]) => check === "replication role")).toEqual([
      [
        "replication-all",
        "",
        "replication role",
        `aws_s3_bucket_replication_configuration.${EAST_CONFIGURATION}`,
        `names ${EAST_ROLE}, but the stack has no role aws_iam_role.${EAST_CONFIGURATION} to check it against`,
      ],
    ]);
  });

  test("another source's prefix in the same stack is refused as in its own stack", async () => {
    const stacks = mutate(org, (json) =>
      editPolicy(json.resource.aws_s3_bucket_policy["destination_acme-central-log-archive"], (p) => {
        p.Statement[0].Resource = "arn:aws:s3:::acme-central-log-archive/AWSLogs/*";
      }),
    );
    expect(
      (await failed(stacks)).map(([stack, , check, resource, detail]) => [stack, check, resource, detail]),
    ).toEqual([
      [
        "replication-all",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/222233334444/preflight-sample.txt",
        "another source's prefix (replication-all, acme-search-logs), yet the bucket policy allows it",
      ],
      [
        "replication-all",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/000000000000/preflight-sample.txt",
        "account 000000000000's prefix, yet the bucket policy allows it",
      ],
      [
        "replication-all",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/111122223333/preflight-sample.txt",
        "another source's prefix (replication-all, acme-payments-logs), yet the bucket policy allows it",
      ],
      [
        "replication-all",
        "deny s3:ReplicateObject",
        "arn:aws:s3:::acme-central-log-archive/AWSLogs/000000000000/preflight-sample.txt",
        "account 000000000000's prefix, yet the bucket policy allows it",
      ],
    ]);
  });
});
