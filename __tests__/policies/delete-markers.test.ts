/**
 * s3:ReplicateDelete writes delete markers into the destination, and S3 sends it only for a rule
 * that replicates them. Each document grants it only where such a rule writes.
 */
import { configWith, exampleConfig, type PolicyJson, policyAt, synthStack } from "../helpers/config";
import { stacksOf } from "../helpers/synth-run";

const DELETE = "s3:ReplicateDelete";

/** Every action of every statement of a policy. */
function actions(policy: PolicyJson): string[] {
  return policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** Every role policy and bucket policy of a synthesized example. */
function policiesOf(example: string): Array<[string, PolicyJson]> {
  return Object.entries(stacksOf(`examples/${example}.json`)).flatMap(([stack, json]) =>
    ["aws_iam_role_policy", "aws_s3_bucket_policy"].flatMap((type) =>
      Object.entries(json.resource[type] ?? {}).map(([name, r]): [string, PolicyJson] => [
        `${stack} ${type}.${name}`,
        JSON.parse(r.policy as string),
      ]),
    ),
  );
}

describe("s3:ReplicateDelete", () => {
  test.each(["backup-vault", "central-log-archive", "org-log-archive"])(
    "appears in no policy of %s, where no rule replicates delete markers",
    (example) => {
      const policies = policiesOf(example);
      expect(policies.length).toBeGreaterThan(1);
      expect(policies.filter(([, policy]) => actions(policy).includes(DELETE)).map(([where]) => where)).toEqual([]);
    },
  );

  test("stays in the role and bucket policy of a rule that replicates delete markers (the guide's)", () => {
    const { json } = synthStack(configWith(() => {}));
    expect(policyAt(json, "aws_iam_role_policy.replication").Statement[2]).toMatchObject({
      Sid: "DestinationObjectPermissions",
      Action: ["s3:ReplicateObject", DELETE, "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: "arn:aws:s3:::my-app-data-backup/*",
    });
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement[0]).toMatchObject({
      Sid: "AllowReplicationFromSourceRole",
      Action: ["s3:ReplicateObject", DELETE, "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: "arn:aws:s3:::my-app-data-backup/*",
    });
  });

  test("is dropped from both documents when the rule stops replicating delete markers", () => {
    const { json } = synthStack(
      configWith((c) => {
        c.replications[0].rules[0].deleteMarkerReplication = false;
      }),
    );
    expect(actions(policyAt(json, "aws_iam_role_policy.replication"))).not.toContain(DELETE);
    expect(actions(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup"))).not.toContain(DELETE);
  });

  test("is granted only under the prefix of the rule that replicates delete markers, in statements of its own", () => {
    const { json } = synthStack(
      configWith((c) => {
        const destination = { account: "backup", bucket: "my-app-data-backup", objectOwnership: "BucketOwnerEnforced" };
        c.replications[0].rules = [
          { id: "data", priority: 1, filter: { prefix: "data/" }, deleteMarkerReplication: true, destination },
          { id: "logs", priority: 2, filter: { prefix: "logs/" }, destination },
        ] as (typeof c.replications)[0]["rules"];
      }),
    );
    expect(policyAt(json, "aws_iam_role_policy.replication").Statement.slice(2)).toEqual([
      {
        Sid: "DestinationObjectPermissions",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: ["arn:aws:s3:::my-app-data-backup/data/*", "arn:aws:s3:::my-app-data-backup/logs/*"],
        Condition: { StringEquals: { "s3:ResourceAccount": "444455556666" } },
      },
      {
        Sid: "DestinationDeleteMarkers",
        Effect: "Allow",
        Action: DELETE,
        Resource: "arn:aws:s3:::my-app-data-backup/data/*",
        Condition: { StringEquals: { "s3:ResourceAccount": "444455556666" } },
      },
    ]);
    expect(policyAt(json, "aws_s3_bucket_policy.destination_my-app-data-backup").Statement.slice(0, 2)).toEqual([
      {
        Sid: "AllowReplicationFromSourceRole",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod" },
        Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
        Resource: ["arn:aws:s3:::my-app-data-backup/data/*", "arn:aws:s3:::my-app-data-backup/logs/*"],
      },
      {
        Sid: "AllowDeleteMarkerReplication",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/s3-replication-my-app-data-prod" },
        Action: DELETE,
        Resource: "arn:aws:s3:::my-app-data-backup/data/*",
      },
    ]);
  });

  test("is granted in a shared bucket's policy only to the source whose rule replicates delete markers", () => {
    const config = exampleConfig("central-log-archive");
    config.replications[1].rules[0].deleteMarkerReplication = true;
    const stack = stacksOf(config)["replication-destination-acme-central-log-archive"];
    const policy = policyAt(stack, "aws_s3_bucket_policy.destination_acme-central-log-archive");
    expect(
      policy.Statement.filter((s) => s.Sid?.startsWith("AllowReplicationFromSourceRole")).map((s) => [s.Sid, s.Action]),
    ).toEqual([
      ["AllowReplicationFromSourceRole1", ["s3:ReplicateObject", "s3:ReplicateTags"]],
      ["AllowReplicationFromSourceRole2", ["s3:ReplicateObject", DELETE, "s3:ReplicateTags"]],
      ["AllowReplicationFromSourceRole3", ["s3:ReplicateObject", "s3:ReplicateTags"]],
    ]);
  });
});
