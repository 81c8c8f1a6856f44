import { readdirSync } from "node:fs";
import { join } from "node:path";
import { failures, preflightStacks, synthesizedStacks } from "../helpers/preflight";

const configs = [
  "replication.config.json",
  ...readdirSync(join(process.cwd(), "examples"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => `examples/${f}`),
];

describe("preflight proves every shipped config", () => {
  test.each(configs)("%s: every request S3 makes is allowed and every check passes", async (config) => {
    const report = await preflightStacks(synthesizedStacks(config));
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBeGreaterThan(15);
  });

  test("evaluates each request S3 makes for the guide's rule", async () => {
    const report = await preflightStacks(synthesizedStacks("replication.config.json"));
    const requests = report.results.filter((r) => r.rule === "CrossAccountReplicationRule").map((r) => r.check);
    expect(requests).toEqual([
      "sts:AssumeRole",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:ReplicateObject",
      "s3:ReplicateDelete",
      "s3:ReplicateTags",
      "s3:ObjectOwnerOverrideToBucketOwner",
      // What the role must not do: write into a bucket of that name owned by another account.
      "deny s3:ReplicateObject",
      "deny s3:ReplicateDelete",
      "deny s3:ReplicateTags",
      "deny s3:ObjectOwnerOverrideToBucketOwner",
    ]);
  });

  test("uses a sample key that matches the rule's prefix", async () => {
    const report = await preflightStacks(synthesizedStacks("examples/pipeline-assume-role.json"));
    const write = report.results.find((r) => r.rule === "application-logs" && r.check === "s3:ReplicateObject");
    expect(write?.resource).toBe("arn:aws:s3:::acme-app-logs-backup/app/preflight-sample.txt");
  });
});
