import { configWith, exampleConfig, policyAt, resourceAt, synthStack } from "../../helpers/config";

describe("backup accounts: storage class and Object Lock (examples/backup-vault.json)", () => {
  const { json } = synthStack(exampleConfig("backup-vault"));
  const [rule] = resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<
    Record<string, any>
  >;

  test("writes replicas in the configured storage class", () => {
    expect(rule.destination.storage_class).toBe("GLACIER_IR");
  });

  test("lets the role read Object Lock retention and legal holds on the source objects", () => {
    const reads = policyAt(json, "aws_iam_role_policy.replication").Statement.find(
      (s) => s.Sid === "SourceObjectPermissions",
    );
    expect(reads?.Action).toEqual([
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
      "s3:GetObjectRetention",
      "s3:GetObjectLegalHold",
    ]);
  });

  test("uses no owner override into a BucketOwnerEnforced destination, which owns replicas anyway", () => {
    expect(rule.destination).not.toHaveProperty("access_control_translation");
    const role = JSON.stringify(policyAt(json, "aws_iam_role_policy.replication"));
    const bucket = JSON.stringify(policyAt(json, "aws_s3_bucket_policy.destination_acme-records-vault"));
    expect(role).not.toContain("s3:ObjectOwnerOverrideToBucketOwner");
    expect(bucket).not.toContain("s3:ObjectOwnerOverrideToBucketOwner");
  });

  test.each(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE"] as const)(
    "accepts the storage class %s",
    (storageClass) => {
      const config = configWith((c) => {
        c.replications[0].rules[0].destination.storageClass = storageClass;
      });
      const [r] = resourceAt(synthStack(config).json, "aws_s3_bucket_replication_configuration.replication")
        .rule as Array<Record<string, any>>;
      expect(r.destination.storage_class).toBe(storageClass);
    },
  );

  test("reads no Object Lock settings when the source has none", () => {
    const reads = policyAt(synthStack(configWith(() => {})).json, "aws_iam_role_policy.replication").Statement.find(
      (s) => s.Sid === "SourceObjectPermissions",
    );
    expect(reads?.Action).not.toContain("s3:GetObjectRetention");
  });
});
