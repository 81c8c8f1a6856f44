/**
 * Preflight on a shared destination: every source's requests are proved against the one bucket
 * policy and key policy its destination stack writes, with the request context AWS supplies
 * (aws:PrincipalArn is the role's ARN; organization membership is assumed and said).
 */
import type { Json } from "../helpers/loose-json";
import { editPolicy, failures, mutate, preflightStacks, synthesizedStacks } from "../helpers/preflight";

const DESTINATION_STACK = "replication-destination-acme-central-log-archive";
const POLICY = "destination_acme-central-log-archive";
const central = synthesizedStacks("examples/central-log-archive.json");
const org = synthesizedStacks("examples/org-log-archive.json");

const bucketPolicy = (json: Json) => json.resource.aws_s3_bucket_policy[POLICY];

async function failedRequests(stacks: ReturnType<typeof synthesizedStacks>) {
  return failures(await preflightStacks(stacks)).map((f) => [f.stack, f.check, f.resource]);
}

describe("preflight on a central log archive", () => {
  test("proves every source's writes and key use against the shared policies", async () => {
    const report = await preflightStacks(central);
    const writes = report.results.filter((r) => r.check === "s3:ReplicateObject" || r.check === "kms:Encrypt");
    expect(writes.map((r) => [r.stack, r.check, r.passed])).toEqual([
      ["replication-acme-analytics-logs", "s3:ReplicateObject", true],
      ["replication-acme-analytics-logs", "kms:Encrypt", true],
      ["replication-acme-payments-logs", "s3:ReplicateObject", true],
      ["replication-acme-payments-logs", "kms:Encrypt", true],
      ["replication-acme-search-logs", "s3:ReplicateObject", true],
      ["replication-acme-search-logs", "kms:Encrypt", true],
    ]);
    expect(writes.find((r) => r.check === "kms:Encrypt")?.resource).toBe(
      "arn:aws:kms:us-east-1:999988887777:key/preflight-replica_acme-central-log-archive",
    );
  });

  test("fails only the source whose grant is missing from the shared bucket policy", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(bucketPolicy(json), (p) => {
          p.Statement = p.Statement.filter((s: Json) => s.Sid !== "AllowReplicationFromSourceRole2");
        }),
      DESTINATION_STACK,
    );
    const object = "arn:aws:s3:::acme-central-log-archive/logs/222233334444/preflight-sample.txt";
    expect(await failedRequests(stacks)).toEqual([
      ["replication-acme-search-logs", "s3:ReplicateObject", object],
      ["replication-acme-search-logs", "s3:ReplicateTags", object],
    ]);
  });

  test("fails a source whose grant names another role in aws:PrincipalArn", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(bucketPolicy(json), (p) => {
          p.Statement[0].Condition.ArnEquals["aws:PrincipalArn"] = "arn:aws:iam::111122223333:role/Other";
        }),
      DESTINATION_STACK,
    );
    expect((await failedRequests(stacks)).map(([stack, check]) => `${stack} ${check}`)).toEqual([
      "replication-acme-payments-logs s3:ReplicateObject",
      "replication-acme-payments-logs s3:ReplicateTags",
    ]);
  });

  test("fails a source writing outside the prefix it is granted", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(bucketPolicy(json), (p) => {
          p.Statement[0].Resource = "arn:aws:s3:::acme-central-log-archive/other/*";
        }),
      DESTINATION_STACK,
    );
    expect((await failedRequests(stacks)).map(([stack, check]) => `${stack} ${check}`)).toEqual([
      "replication-acme-payments-logs s3:ReplicateObject",
      "replication-acme-payments-logs s3:ReplicateTags",
    ]);
  });

  test("fails every source when the shared key policy leaves them out", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(json.resource.aws_kms_key["replica_acme-central-log-archive"], (p) => {
          p.Statement = p.Statement.slice(0, 1);
        }),
      DESTINATION_STACK,
    );
    expect((await failedRequests(stacks)).map(([stack, check]) => `${stack} ${check}`)).toEqual([
      "replication-acme-analytics-logs kms:Encrypt",
      "replication-acme-analytics-logs kms:GenerateDataKey",
      "replication-acme-payments-logs kms:Encrypt",
      "replication-acme-payments-logs kms:GenerateDataKey",
      "replication-acme-search-logs kms:Encrypt",
      "replication-acme-search-logs kms:GenerateDataKey",
    ]);
  });
});

describe("preflight on who writes a bucket policy", () => {
  test("passes one writer per bucket policy, within S3's 20 KB", async () => {
    const report = await preflightStacks(central);
    expect(report.results.filter((r) => r.check === "bucket policy owner").map((r) => [r.stack, r.passed])).toEqual([
      [DESTINATION_STACK, true],
    ]);
  });

  test("fails a shared bucket's policy also written by a source stack (one config file per source)", async () => {
    const stacks = mutate(
      central,
      (json) => {
        json.resource.aws_s3_bucket_policy = {
          [POLICY]: { provider: "aws.destination", bucket: "acme-central-log-archive", policy: '{"Statement":[]}' },
        };
      },
      "replication-acme-search-logs",
    );
    const owners = failures(await preflightStacks(stacks)).filter((f) => f.check === "bucket policy owner");
    expect(owners.map((f) => [f.stack, f.detail, f.help])).toEqual(
      ["replication-acme-search-logs", DESTINATION_STACK].map((stack) => [
        stack,
        `the bucket's whole policy is written twice (replication-acme-search-logs/aws_s3_bucket_policy.${POLICY}, ${DESTINATION_STACK}/aws_s3_bucket_policy.${POLICY}): the last apply removes the other's grants`,
        "help/troubleshooting.md#a-bucket-policy-written-twice-or-too-large",
      ]),
    );
  });

  test("fails a bucket policy over S3's 20 KB", async () => {
    const stacks = mutate(
      central,
      (json) =>
        editPolicy(bucketPolicy(json), (p) => {
          p.Statement.push({
            Sid: "Padding",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "x".repeat(21000),
          });
        }),
      DESTINATION_STACK,
    );
    const [failure] = failures(await preflightStacks(stacks)).filter((f) => f.check === "bucket policy owner");
    expect(failure.detail).toMatch(
      /^aws_s3_bucket_policy\.destination_acme-central-log-archive is \d+ bytes; S3 accepts at most 20480$/,
    );
  });
});

describe("preflight on an organization-wide archive", () => {
  test("passes, saying it assumes each source account is a member of the organization", async () => {
    const report = await preflightStacks(org);
    expect(failures(report)).toEqual([]);
    const write = report.results.find(
      (r) => r.stack === "replication-acme-search-logs" && r.check === "s3:ReplicateObject",
    );
    expect(write?.detail).toBe("assumes account 222233334444 is a member of organization o-a1b2c3d4e5");
  });

  test("fails a source role outside the grant's role name pattern", async () => {
    const stacks = mutate(
      org,
      (json) =>
        editPolicy(bucketPolicy(json), (p) => {
          p.Statement[0].Condition.StringLike["aws:PrincipalArn"] = "arn:aws:iam::*:role/log-shipper-*";
        }),
      DESTINATION_STACK,
    );
    expect((await failedRequests(stacks)).map(([stack, check]) => `${stack} ${check}`)).toEqual([
      "replication-acme-payments-logs s3:ReplicateObject",
      "replication-acme-payments-logs s3:ReplicateTags",
      "replication-acme-search-logs s3:ReplicateObject",
      "replication-acme-search-logs s3:ReplicateTags",
    ]);
  });
});
