/**
 * Organization mode: one grant for every member account's replication role. Each account may
 * write (and delete-mark) only under its own key prefix: the bucket policy's Resource holds the
 * aws:PrincipalAccount policy variable, which IAM replaces with the requesting role's account.
 * Terraform would read `${aws:PrincipalAccount}` as an interpolation (and fail: there is no such
 * reference); stacks/literal-stack.ts writes it as `$${`, Terraform's escape for a literal `${`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exampleConfig, policyAt } from "../helpers/config";
import { stacksOf, synthRun } from "../helpers/synth-run";

const ARCHIVE_STACK = "replication-destination-acme-central-log-archive";
const POLICY = "aws_s3_bucket_policy.destination_acme-central-log-archive";

describe("organization mode", () => {
  test("grants each member account only its own AWSLogs/<account>/ part of the archive", () => {
    const policy = policyAt(stacksOf("examples/org-log-archive.json")[ARCHIVE_STACK], POLICY);
    expect(policy.Statement[0]).toMatchObject({
      Sid: "AllowReplicationFromOrganization",
      Resource: "arn:aws:s3:::acme-central-log-archive/AWSLogs/$${aws:PrincipalAccount}/*",
    });
  });

  test("writes the policy variable escaped for Terraform, and never as an interpolation", () => {
    const run = synthRun(join(process.cwd(), "examples/org-log-archive.json"));
    const text = readFileSync(join(run.outdir, "stacks", ARCHIVE_STACK, "cdk.tf.json"), "utf8");
    // Once in the bucket policy, once in the replica key policy.
    expect(text.match(/\$\$\{aws:PrincipalAccount\}/g)).toHaveLength(2);
    expect(text).not.toMatch(/(?<!\$)\$\{aws:/);
  });

  test("follows a key layout of the config's choosing", () => {
    const config = exampleConfig("org-log-archive");
    const organization = config.sharedDestinations?.["acme-central-log-archive"].organization;
    if (!organization) throw new Error("the example has no organization");
    organization.accountKeyPrefix = "AWSLogs/o-a1b2c3d4e5/{account}/";
    config.replications[0].rules[0].filter = { prefix: "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/" };
    config.replications[1].rules[0].filter = { prefix: "AWSLogs/o-a1b2c3d4e5/222233334444/" };
    const policy = policyAt(stacksOf(config)[ARCHIVE_STACK], POLICY);
    expect(policy.Statement[0].Resource).toBe(
      "arn:aws:s3:::acme-central-log-archive/AWSLogs/o-a1b2c3d4e5/$${aws:PrincipalAccount}/*",
    );
  });

  test("grants delete markers to the organization only when a listed source replicates them", () => {
    const config = exampleConfig("org-log-archive");
    config.replications[1].rules[0].deleteMarkerReplication = true;
    const policy = policyAt(stacksOf(config)[ARCHIVE_STACK], POLICY);
    expect(policy.Statement[0].Action).toEqual(["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]);
  });
});
