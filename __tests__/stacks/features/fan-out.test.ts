import { addresses, exampleConfig, policyAt, resourceAt, synthStack } from "../../helpers/config";

describe("fan-out (examples/fan-out.json)", () => {
  const { json } = synthStack(exampleConfig("fan-out"));

  test("has one provider per destination account and Region, each pinned to its account", () => {
    expect(json.provider.aws.map((p) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
      ["source", "us-east-1", ["111122223333"]],
      ["destination_backup_us_west_2", "us-west-2", ["444455556666"]],
      ["destination_backup_eu_central_1", "eu-central-1", ["444455556666"]],
      ["destination_analytics", "eu-west-1", ["777788889999"]],
    ]);
  });

  test("writes one bucket policy and one versioning resource per destination, with its account's provider", () => {
    for (const [bucket, alias] of [
      ["acme-events-backup-us", "destination_backup_us_west_2"],
      ["acme-events-backup-eu", "destination_backup_eu_central_1"],
      ["acme-events-analytics", "destination_analytics"],
    ]) {
      expect(resourceAt(json, `aws_s3_bucket_policy.destination_${bucket}`).provider).toBe(`aws.${alias}`);
      expect(resourceAt(json, `aws_s3_bucket_versioning.destination_${bucket}`).provider).toBe(`aws.${alias}`);
    }
  });

  test("uses one role for every destination, with distinct rule priorities", () => {
    // One replication role; the other one is Batch Replication's, for existing objects.
    expect(addresses(json).filter((a) => a.startsWith("aws_iam_role."))).toEqual([
      "aws_iam_role.batch_replication",
      "aws_iam_role.replication",
    ]);
    const rules = resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<
      Record<string, any>
    >;
    expect(rules.map((r) => r.priority)).toEqual([30, 20, 10]);
  });

  test("writes one destination statement per destination account, each only into buckets that account owns", () => {
    const policy = policyAt(json, "aws_iam_role_policy.replication");
    expect(policy.Statement.filter((s) => s.Sid?.startsWith("Destination"))).toEqual([
      {
        Sid: "DestinationObjectPermissions444455556666",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: ["arn:aws:s3:::acme-events-backup-us/*", "arn:aws:s3:::acme-events-backup-eu/*"],
        Condition: { StringEquals: { "s3:ResourceAccount": "444455556666" } },
      },
      {
        // The analytics rule replicates no delete markers and only clickstream/.
        Sid: "DestinationObjectPermissions777788889999",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::acme-events-analytics/clickstream/*",
        Condition: { StringEquals: { "s3:ResourceAccount": "777788889999" } },
      },
    ]);
  });
});
