/**
 * The embedded default config is the guide's setup. Its synthesized JSON must grant at least what
 * the guide's policy files grant, except what is left out on purpose (said below, with why).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { list, type PolicyJson, type TerraformJson } from "../helpers/config";
import { synthRun } from "../helpers/synth-run";

const SOURCE = "arn:aws:s3:::my-app-data-prod";
const DESTINATION = "arn:aws:s3:::my-app-data-backup";
const ROLE = "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole";

/** Step 3 of the guide: replication-permissions-policy.json, resource -> actions. */
const GUIDE_ROLE_POLICY: Record<string, string[]> = {
  [SOURCE]: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
  [`${SOURCE}/*`]: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
  [`${DESTINATION}/*`]: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
};

/**
 * Step 4 of the guide: destination-bucket-policy.json. s3:PutBucketVersioning is dropped on
 * purpose: it would let the source account suspend versioning on the destination bucket, and no
 * AWS failure reason names it. s3:GetBucketVersioning (read-only) is kept.
 */
const GUIDE_BUCKET_POLICY: Record<string, string[]> = {
  [`${DESTINATION}/*`]: [
    "s3:ReplicateObject",
    "s3:ReplicateDelete",
    "s3:ReplicateTags",
    "s3:ObjectOwnerOverrideToBucketOwner",
  ],
  [DESTINATION]: ["s3:GetBucketVersioning"],
};

function synthesizedDefault(): TerraformJson {
  const run = synthRun(join(process.cwd(), "replication.config.json"));
  expect(run.code).toBe(0);
  return JSON.parse(readFileSync(join(run.outdir, "stacks/replication-my-app-data-prod/cdk.tf.json"), "utf8"));
}

function grants(policy: PolicyJson, principal?: string): Record<string, string[]> {
  const byResource: Record<string, string[]> = {};
  for (const statement of policy.Statement) {
    if (statement.Effect !== "Allow") continue;
    if (principal && !list(statement.Principal?.AWS).includes(principal)) continue;
    for (const resource of list(statement.Resource)) {
      byResource[resource] = [...(byResource[resource] ?? []), ...list(statement.Action)];
    }
  }
  return byResource;
}

describe("the embedded default config against the guide", () => {
  const json = synthesizedDefault();
  const resources = json.resource;

  test("the role policy holds every action the guide's step 3 grants", () => {
    const policy = JSON.parse(resources.aws_iam_role_policy.replication.policy as string);
    const granted = grants(policy);
    for (const [resource, actions] of Object.entries(GUIDE_ROLE_POLICY)) {
      expect(granted[resource]).toEqual(expect.arrayContaining(actions));
    }
    // Owner override needs the action in the role policy too, which the guide misses.
    expect(granted[`${DESTINATION}/*`]).toContain("s3:ObjectOwnerOverrideToBucketOwner");
  });

  test("the bucket policy grants the exact role ARN every guide action but s3:PutBucketVersioning", () => {
    const policy = JSON.parse(resources.aws_s3_bucket_policy["destination_my-app-data-backup"].policy as string);
    const granted = grants(policy, ROLE);
    for (const [resource, actions] of Object.entries(GUIDE_BUCKET_POLICY)) {
      expect(granted[resource]).toEqual(expect.arrayContaining(actions));
    }
    expect(Object.values(granted).flat()).not.toContain("s3:PutBucketVersioning");
  });

  test("the replication configuration is the guide's step 5", () => {
    const configuration = resources.aws_s3_bucket_replication_configuration.replication;
    expect(configuration.role).toBe(ROLE);
    expect(configuration.rule).toEqual([
      {
        id: "CrossAccountReplicationRule",
        status: "Enabled",
        priority: 1,
        filter: {},
        destination: {
          bucket: DESTINATION,
          account: "444455556666",
          access_control_translation: { owner: "Destination" },
        },
        delete_marker_replication: { status: "Enabled" },
      },
    ]);
  });

  test("versioning (step 1) is enabled on both buckets with each account's provider", () => {
    expect(resources.aws_s3_bucket_versioning.source).toMatchObject({
      bucket: "my-app-data-prod",
      provider: "aws.source",
      versioning_configuration: { status: "Enabled" },
    });
    expect(resources.aws_s3_bucket_versioning["destination_my-app-data-backup"]).toMatchObject({
      bucket: "my-app-data-backup",
      provider: "aws.destination",
      versioning_configuration: { status: "Enabled" },
    });
  });

  test("the trust policy (step 2) is the guide's", () => {
    expect(JSON.parse(resources.aws_iam_role.replication.assume_role_policy as string).Statement).toEqual([
      {
        Sid: "S3AssumeRoleForReplication",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });
});
