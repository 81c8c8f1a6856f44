/**
 * A replica keeps its source object's key, so a rule with a prefix writes only under that prefix
 * in the destination. The role policy and a one-to-one destination's bucket policy grant exactly
 * the rules' prefixes, as a shared destination's per-source grant does.
 */
import { configWith, exampleConfig, policyAt, synthStack } from "../helpers/config";

const ROLE = "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod";
const IN_DESTINATION_ACCOUNT = { StringEquals: { "s3:ResourceAccount": "444455556666" } };

describe("prefixes", () => {
  describe("examples/kms.json: rule ledgers/ into acme-ledgers-archive", () => {
    const { json } = synthStack(exampleConfig("kms"));

    test("the bucket policy grants only ledgers/", () => {
      expect(policyAt(json, "aws_s3_bucket_policy.destination_acme-ledgers-archive").Statement[0]).toEqual({
        Sid: "AllowReplicationFromSourceRole",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod" },
        Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::acme-ledgers-archive/ledgers/*",
      });
    });

    test("the role policy writes only ledgers/ there, and the whole of the unfiltered rule's bucket", () => {
      expect(policyAt(json, "aws_iam_role_policy.replication").Statement[2]).toMatchObject({
        Sid: "DestinationObjectPermissions",
        Resource: ["arn:aws:s3:::acme-payments-backup/*", "arn:aws:s3:::acme-ledgers-archive/ledgers/*"],
      });
    });
  });

  /** The guide's setup with `rules` into its destination. */
  function withRules(rules: Array<Record<string, unknown>>) {
    return synthStack(
      configWith((c) => {
        c.replications[0].rules = rules.map((rule, n) => ({
          id: `r${n}`,
          priority: n + 1,
          destination: { account: "backup", bucket: "my-app-data-backup" },
          ...rule,
        })) as (typeof c.replications)[0]["rules"];
      }),
    ).json;
  }

  test("a tags-only filter means the whole bucket (tags are not part of the key)", () => {
    const json = withRules([{ filter: { prefix: "data/" } }, { filter: { tags: { retain: "true" } } }]);
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement[0].Resource).toBe(
      "arn:aws:s3:::my-app-data-backup/*",
    );
    expect(policyAt(json, "aws_iam_role_policy.replication").Statement[2].Resource).toBe(
      "arn:aws:s3:::my-app-data-backup/*",
    );
  });

  test("a prefix with tags is still its prefix; a prefix inside another adds nothing", () => {
    const json = withRules([
      { filter: { prefix: "audit/", tags: { retain: "true" } } },
      { filter: { prefix: "audit/2024/" } },
      { filter: { prefix: "app/" } },
    ]);
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement[0].Resource).toEqual([
      "arn:aws:s3:::my-app-data-backup/app/*",
      "arn:aws:s3:::my-app-data-backup/audit/*",
    ]);
  });

  test("owner override and delete markers each cover only the prefixes of the rules that use them", () => {
    const json = withRules([
      { filter: { prefix: "a/" }, deleteMarkerReplication: true },
      { filter: { prefix: "b/" }, replicaOwner: "source" },
    ]);
    expect(policyAt(json, "aws_iam_role_policy.replication").Statement.slice(2)).toEqual([
      {
        Sid: "DestinationObjectPermissions",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: ["arn:aws:s3:::my-app-data-backup/a/*", "arn:aws:s3:::my-app-data-backup/b/*"],
        Condition: IN_DESTINATION_ACCOUNT,
      },
      {
        // Rule a/ both replicates delete markers and gives replicas to the destination: one statement.
        Sid: "DestinationDeleteMarkers",
        Effect: "Allow",
        Action: ["s3:ReplicateDelete", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::my-app-data-backup/a/*",
        Condition: IN_DESTINATION_ACCOUNT,
      },
    ]);
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement.slice(0, 2)).toEqual([
      {
        Sid: "AllowReplicationFromSourceRole",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: ["arn:aws:s3:::my-app-data-backup/a/*", "arn:aws:s3:::my-app-data-backup/b/*"],
      },
      {
        Sid: "AllowDeleteMarkerReplication",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: ["s3:ReplicateDelete", "s3:ObjectOwnerOverrideToBucketOwner"],
        Resource: "arn:aws:s3:::my-app-data-backup/a/*",
      },
    ]);
  });

  test("owner override alone on other prefixes gets a statement of its own", () => {
    const json = withRules([{ filter: { prefix: "a/" } }, { filter: { prefix: "b/" }, replicaOwner: "source" }]);
    expect(policyAt(json, "aws_iam_role_policy.replication").Statement[3]).toEqual({
      Sid: "DestinationOwnerOverride",
      Effect: "Allow",
      Action: "s3:ObjectOwnerOverrideToBucketOwner",
      Resource: "arn:aws:s3:::my-app-data-backup/a/*",
      Condition: IN_DESTINATION_ACCOUNT,
    });
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement[1]).toEqual({
      Sid: "AllowOwnerOverride",
      Effect: "Allow",
      Principal: { AWS: ROLE },
      Action: "s3:ObjectOwnerOverrideToBucketOwner",
      Resource: "arn:aws:s3:::my-app-data-backup/a/*",
    });
  });

  test("a prefix holding IAM's wildcard characters is written as their policy-variable escapes", () => {
    const json = withRules([{ filter: { prefix: "a*b?c$/" } }]);
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement[0].Resource).toBe(
      // `${*}` etc. as IAM reads them; Terraform's `$${` escape is undone by Terraform itself.
      "arn:aws:s3:::my-app-data-backup/a$${*}b$${?}c$${$}/*",
    );
  });
});
