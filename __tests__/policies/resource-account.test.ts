/**
 * Bucket names are global but not permanent: a destination bucket deleted and registered again by
 * another account, whose policy allows the role, would receive replicas. The role's writes carry
 * s3:ResourceAccount, the owner of the bucket written to, which IAM lists for every action the
 * role writes with (ReplicateObject, ReplicateDelete, ReplicateTags, ObjectOwnerOverrideToBucketOwner).
 */
import { exampleConfig, guideConfig, type PolicyJson, policyAt, synthStack } from "../helpers/config";

const WRITES = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"];

function destinationStatements(policy: PolicyJson) {
  const actions = (s: PolicyJson["Statement"][number]) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  return policy.Statement.filter((s) => actions(s).some((a) => WRITES.includes(a)));
}

describe("s3:ResourceAccount on the role's writes", () => {
  test("the guide's role writes only into buckets of the destination account", () => {
    const { json } = synthStack(guideConfig());
    const statements = destinationStatements(policyAt(json, "aws_iam_role_policy.replication"));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Condition).toEqual({ StringEquals: { "s3:ResourceAccount": "444455556666" } });
    }
  });

  test("rules into several accounts get one statement per account, each with that account", () => {
    const { json } = synthStack(exampleConfig("fan-out"));
    const statements = destinationStatements(policyAt(json, "aws_iam_role_policy.replication"));
    expect(statements.map((s) => [s.Sid, s.Resource, s.Condition])).toEqual([
      [
        "DestinationObjectPermissions444455556666",
        ["arn:aws:s3:::acme-events-backup-us/*", "arn:aws:s3:::acme-events-backup-eu/*"],
        { StringEquals: { "s3:ResourceAccount": "444455556666" } },
      ],
      [
        "DestinationObjectPermissions777788889999",
        "arn:aws:s3:::acme-events-analytics/clickstream/*",
        { StringEquals: { "s3:ResourceAccount": "777788889999" } },
      ],
    ]);
  });

  test("a bucket policy names no s3:ResourceAccount: it sits on the bucket it is about", () => {
    const { json } = synthStack(exampleConfig("fan-out"));
    expect(JSON.stringify(policyAt(json, "aws_s3_bucket_policy.destination_acme-events-analytics"))).not.toContain(
      "s3:ResourceAccount",
    );
  });
});
