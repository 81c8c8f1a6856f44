/**
 * A seeded slice of `npm run fuzz` (config-fuzz.ts), and tests of its oracle: an oracle that
 * cannot fail would make the fuzzer's zeros meaningless.
 */
import fc from "fast-check";
import { guideConfig, modelOf } from "../helpers/config";
import type { Json } from "../helpers/loose-json";
import { synthesizedStacks } from "../helpers/preflight";
import { acceptedShareProblem, expectedAccounts, fuzzCases, oracleFindings, runCase } from "./config-fuzz";

describe("config fuzzer", () => {
  test("a seeded slice of 250 configs: no crash, no stack trace, no oracle finding", () => {
    const results = fc.sample(fuzzCases(), { numRuns: 250, seed: 11 }).map((c) => runCase(c.bytes));
    expect(results.filter((r) => r.outcome === "crash")).toEqual([]);
    // The output oracle and the reference (reference.ts); npm run fuzz:mutations shows they fail.
    expect(results.flatMap((r) => r.findings)).toEqual([]);
    // The slice exercises both ends: stacks to judge, and rejections.
    expect(
      acceptedShareProblem(results.filter((r) => r.outcome === "accepted").length, results.length),
    ).toBeUndefined();
    expect(results.filter((r) => r.outcome === "rejected").length).toBeGreaterThan(60);
  });

  describe("oracle", () => {
    // In a hook, not at describe scope: the slice alone runs (and fails) without it.
    let stack: ReturnType<typeof synthesizedStacks>[number];
    beforeAll(() => {
      [stack] = synthesizedStacks(guideConfig());
    });
    const raw = (): Json => structuredClone(stack.json);

    test("passes the guide's stack", () => {
      // readStacks gives literal text; the guide's stack has no template syntax to escape.
      expect(oracleFindings(stack.name, raw())).toEqual([]);
    });

    test("finds template syntax that did not come from the project", () => {
      const json = raw();
      json.resource.aws_s3_bucket_replication_configuration.replication.rule[0].filter.prefix =
        '${file("/etc/passwd")}';
      json.provider.aws[0].default_tags[0].tags.x = "%{ if true }";
      expect(oracleFindings("s", json)).toEqual([
        's: template syntax from config: "%{ if true }"',
        's: template syntax from config: "${file(\\"/etc/passwd\\")}"',
      ]);
    });

    test("finds a provider pinned to another account than its own", () => {
      const json = raw();
      json.provider.aws[0].allowed_account_ids = ["444455556666"];
      const accounts = expectedAccounts(modelOf(guideConfig())).get(stack.name);
      expect(oracleFindings("s", json, accounts)).toEqual([
        "s: provider source is pinned to 444455556666, not its account 111122223333",
      ]);
      expect(oracleFindings("s", raw(), accounts)).toEqual([]);
    });

    test("finds an ARN outside the Region's partition, an unpinned provider and a bad bucket name", () => {
      const json = raw();
      json.resource.aws_iam_role.replication.permissions_boundary = "arn:aws-cn:iam::111122223333:policy/b";
      json.provider.aws[1].allowed_account_ids = [];
      json.resource.aws_s3_bucket_policy["destination_my-app-data-backup"].bucket = "Bad_Bucket";
      expect(oracleFindings("s", json)).toEqual([
        "s: provider destination is not pinned to one account",
        "s: ARN outside partition aws: arn:aws-cn:iam::111122223333:policy/b",
        's: aws_s3_bucket_policy.destination_my-app-data-backup: bucket name "Bad_Bucket" may hold only lowercase letters, digits, dots (.) and hyphens (-)',
      ]);
    });

    test("finds a role policy over IAM's size limit", () => {
      const json = raw();
      const policy = JSON.parse(json.resource.aws_iam_role_policy.replication.policy);
      policy.Statement.push({
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::b/${"x".repeat(10_300)}`,
      });
      json.resource.aws_iam_role_policy.replication.policy = JSON.stringify(policy);
      expect(oracleFindings("s", json)).toEqual([
        "s: s3-replication-my-app-data-prod: inline policies of 11041 characters",
      ]);
    });
  });
});
