// The end-to-end test's comparisons, on hand-made account snapshots written out literally below:
// a faithful snapshot passes (in other IAM spellings too), and each kind of drift is reported by
// name. The expectations are the reviewed files in expected/, never what the builders make.
// (The comparisons themselves run in npm run test:e2e.)
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { configWith, guideConfig, modelOf } from "../helpers/config";
import { EXPECTED_DIR, loadExpected } from "./expected";
import { type CleanupFacts, leftoverProblems } from "./leftovers";
import { readBackProblems } from "./read-back";
import type { AccountState, AlarmState, BucketState, Snapshot } from "./snapshot";
import { SEED_KEY } from "./world";

const SOURCE = "111122223333";
const DESTINATION = "444455556666";
const ROLE_ARN = "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole";
const STACK = "replication-my-app-data-prod";
const TAGS = { "managed-by": "s3-cross-account-replication", "replication-stack": STACK };

function bucket(name: string, region: string, fields: Partial<BucketState> = {}): BucketState {
  return {
    name,
    region,
    versioning: "Enabled",
    policy: null,
    replication: null,
    ownership: null,
    publicAccessBlock: null,
    encryption: null,
    objectLock: false,
    tags: null,
    objects: { [SEED_KEY]: "hash" },
    ...fields,
  };
}

function account(fields: Partial<AccountState>): AccountState {
  return { roles: [], buckets: [], keys: [], aliases: [], topics: [], alarms: [], ...fields };
}

/**
 * The default config (replication.config.json) once applied, as the emulator answers, spelled
 * differently from the expected files where IAM reads both the same: statements and lists in
 * another order, a one-element list for a string, `"Principal": "*"`-free but reordered keys.
 */
function applied(): Map<string, AccountState> {
  return new Map([
    [
      SOURCE,
      account({
        roles: [
          {
            name: "S3CrossAccountReplicationRole",
            path: "/",
            arn: ROLE_ARN,
            description: "S3 replication from my-app-data-prod (replication-my-app-data-prod)",
            tags: TAGS,
            trustPolicy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "S3AssumeRoleForReplication",
                  Effect: "Allow",
                  Principal: { Service: ["s3.amazonaws.com"] },
                  Action: ["sts:AssumeRole"],
                },
              ],
            },
            inlinePolicies: {
              S3ReplicationPermissionsPolicy: {
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "DestinationObjectPermissions",
                    Effect: "Allow",
                    Action: [
                      "s3:ReplicateTags",
                      "s3:ObjectOwnerOverrideToBucketOwner",
                      "s3:ReplicateObject",
                      "s3:ReplicateDelete",
                    ],
                    Resource: ["arn:aws:s3:::my-app-data-backup/*"],
                    Condition: { StringEquals: { "S3:ResourceAccount": ["444455556666"] } },
                  },
                  {
                    Sid: "SourceBucketPermissions",
                    Effect: "Allow",
                    Action: ["s3:ListBucket", "s3:GetReplicationConfiguration"],
                    Resource: "arn:aws:s3:::my-app-data-prod",
                  },
                  {
                    Sid: "SourceObjectPermissions",
                    Effect: "Allow",
                    Action: [
                      "s3:GetObjectVersionTagging",
                      "s3:GetObjectVersionAcl",
                      "s3:GetObjectVersionForReplication",
                    ],
                    Resource: "arn:aws:s3:::my-app-data-prod/*",
                  },
                ],
              },
            },
          },
          {
            name: "s3-batch-replication-my-app-data-prod",
            path: "/",
            arn: "arn:aws:iam::111122223333:role/s3-batch-replication-my-app-data-prod",
            description: "S3 Batch Replication of existing objects in my-app-data-prod (replication-my-app-data-prod)",
            tags: TAGS,
            trustPolicy: {
              Version: "2012-10-17",
              Statement: {
                Sid: "BatchOperationsAssumeRole",
                Effect: "Allow",
                Principal: { Service: "batchoperations.s3.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            },
            inlinePolicies: {
              S3BatchReplicationPolicy: {
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "WriteCompletionReport",
                    Effect: "Allow",
                    Action: "s3:PutObject",
                    Resource: "arn:aws:s3:::my-app-data-prod/batch-replication-reports/*",
                  },
                  {
                    Sid: "InitiateReplication",
                    Effect: "Allow",
                    Action: "s3:InitiateReplication",
                    Resource: "arn:aws:s3:::my-app-data-prod/*",
                  },
                  {
                    Sid: "GenerateManifest",
                    Effect: "Allow",
                    Action: ["s3:PutInventoryConfiguration", "s3:GetReplicationConfiguration"],
                    Resource: "arn:aws:s3:::my-app-data-prod",
                  },
                ],
              },
            },
          },
        ],
        buckets: [
          bucket("my-app-data-prod", "us-east-1", {
            replication: {
              Role: ROLE_ARN,
              Rules: [
                {
                  ID: "CrossAccountReplicationRule",
                  Priority: 1,
                  Status: "Enabled",
                  Filter: {},
                  DeleteMarkerReplication: { Status: "Enabled" },
                  Destination: {
                    Bucket: "arn:aws:s3:::my-app-data-backup",
                    Account: DESTINATION,
                    AccessControlTranslation: { Owner: "Destination" },
                  },
                },
              ],
            },
          }),
        ],
      }),
    ],
    [
      DESTINATION,
      account({
        buckets: [
          bucket("my-app-data-backup", "us-west-2", {
            policy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "AllowReplicationVersioningCheck",
                  Effect: "Allow",
                  Principal: { AWS: [ROLE_ARN] },
                  Action: "s3:GetBucketVersioning",
                  Resource: "arn:aws:s3:::my-app-data-backup",
                },
                {
                  Sid: "AllowReplicationFromSourceRole",
                  Effect: "Allow",
                  Principal: { AWS: ROLE_ARN },
                  Action: [
                    "s3:ObjectOwnerOverrideToBucketOwner",
                    "s3:ReplicateDelete",
                    "s3:ReplicateObject",
                    "s3:ReplicateTags",
                  ],
                  Resource: "arn:aws:s3:::my-app-data-backup/*",
                },
              ],
            },
          }),
        ],
      }),
    ],
  ]);
}

function edit(snapshot: Map<string, AccountState>, id: string, change: (a: AccountState) => AccountState): Snapshot {
  const copy = new Map(snapshot);
  copy.set(id, change(snapshot.get(id) as AccountState));
  return copy;
}

const withRole = (name: string, change: (role: AccountState["roles"][number]) => AccountState["roles"][number]) =>
  edit(applied(), SOURCE, (a) => ({ ...a, roles: a.roles.map((r) => (r.name === name ? change(r) : r)) }));

describe("read-back", () => {
  const expected = loadExpected("replication.config");

  it("finds nothing to report when the accounts hold what the expected files say, in other spellings", () => {
    expect(readBackProblems(expected, applied())).toEqual([]);
  });

  const withFilter = (filter: unknown): Snapshot =>
    edit(applied(), SOURCE, (a) => ({
      ...a,
      buckets: a.buckets.map((b) => ({
        ...b,
        replication: b.replication && {
          ...b.replication,
          Rules: b.replication.Rules.map((rule: Record<string, unknown>) => ({ ...rule, Filter: filter })),
        },
      })),
    }));

  it("reports a rule whose live filter differs from the expected one", () => {
    expect(readBackProblems(expected, withFilter({ Prefix: "logs/" }))).toEqual([
      'bucket my-app-data-prod replication rule CrossAccountReplicationRule.Filter.Prefix: is "logs/", expected null',
    ]);
  });

  it("takes an empty prefix filter for the empty filter: both select every object", () => {
    expect(readBackProblems(expected, withFilter({ Prefix: "" }))).toEqual([]);
  });

  it("reports versioning that is not Enabled and a missing bucket policy", () => {
    const drifted = edit(applied(), DESTINATION, (a) => ({
      ...a,
      buckets: a.buckets.map((b) => ({ ...b, versioning: "Suspended", policy: null })),
    }));
    expect(readBackProblems(expected, drifted)).toEqual([
      'bucket my-app-data-backup versioning: is "Suspended", expected "Enabled"',
      "bucket my-app-data-backup policy: missing",
    ]);
  });

  it("reports a role policy that lost an action, and a bucket policy that gained a statement", () => {
    const lost = withRole("S3CrossAccountReplicationRole", (role) => ({
      ...role,
      inlinePolicies: {
        S3ReplicationPermissionsPolicy: {
          ...role.inlinePolicies.S3ReplicationPermissionsPolicy,
          Statement: role.inlinePolicies.S3ReplicationPermissionsPolicy.Statement.map((s: Record<string, unknown>) =>
            s.Sid === "DestinationObjectPermissions"
              ? { ...s, Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"] }
              : s,
          ),
        },
      },
    }));
    expect(readBackProblems(expected, lost)).toEqual([
      "role S3CrossAccountReplicationRole S3ReplicationPermissionsPolicy: statement DestinationObjectPermissions Action: lacks s3:replicatedelete",
    ]);
    const gained = edit(applied(), DESTINATION, (a) => ({
      ...a,
      buckets: a.buckets.map((b) => ({
        ...b,
        policy: {
          ...b.policy,
          Statement: [
            ...(b.policy?.Statement ?? []),
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-app-data-backup/*" },
          ],
        },
      })),
    }));
    expect(readBackProblems(expected, gained)).toEqual([
      'bucket my-app-data-backup policy: statement without Sid not expected: {"Action":["s3:getobject"],"Effect":"Allow","Principal":{"AWS":["*"]},"Resource":["arn:aws:s3:::my-app-data-backup/*"]}',
    ]);
  });

  it("reports a missing role, another role description and other tags", () => {
    const missing = edit(applied(), SOURCE, (a) => ({ ...a, roles: a.roles.slice(1) }));
    expect(readBackProblems(expected, missing)).toEqual([
      "role S3CrossAccountReplicationRole: missing in 111122223333",
    ]);
    const retagged = withRole("s3-batch-replication-my-app-data-prod", (role) => ({
      ...role,
      description: "something else",
      tags: { ...TAGS, "managed-by": "someone" },
    }));
    expect(readBackProblems(expected, retagged)).toEqual([
      'role s3-batch-replication-my-app-data-prod.description: is "something else", expected "S3 Batch Replication of existing objects in my-app-data-prod (replication-my-app-data-prod)"',
      'role s3-batch-replication-my-app-data-prod.tags.managed-by: is "someone", expected "s3-cross-account-replication"',
    ]);
  });

  it("reports what no expected file names: a role of the stack, an inline policy, a bucket policy", () => {
    const extra = edit(applied(), SOURCE, (a) => ({
      ...a,
      roles: [
        ...a.roles.map((r) =>
          r.name === "S3CrossAccountReplicationRole"
            ? { ...r, inlinePolicies: { ...r.inlinePolicies, Extra: { Version: "2012-10-17", Statement: [] } } }
            : r,
        ),
        { ...a.roles[1], name: "stray", arn: "arn:aws:iam::111122223333:role/stray" },
      ],
      buckets: a.buckets.map((b) => ({ ...b, policy: { Version: "2012-10-17", Statement: [] } })),
    }));
    expect(readBackProblems(expected, extra)).toEqual([
      "role S3CrossAccountReplicationRole: inline policy Extra not expected",
      "role stray in 111122223333: not expected",
      "bucket my-app-data-prod policy: not expected",
    ]);
  });
});

describe("read-back of alarms and created keys", () => {
  const alarm = (fields: Partial<AlarmState>): AlarmState => ({
    name: "replication-acme-orders-prod/orders-rtc/ReplicationLatency",
    region: "us-east-1",
    description: "Replication lags more than 900 s behind the source",
    namespace: "AWS/S3",
    metricName: "ReplicationLatency",
    dimensions: { SourceBucket: "acme-orders-prod", DestinationBucket: "acme-orders-dr", RuleId: "orders-rtc" },
    statistic: "Maximum",
    extendedStatistic: null,
    unit: null,
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: null,
    threshold: 900,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "ignore",
    evaluateLowSampleCountPercentile: null,
    actionsEnabled: true,
    alarmActions: ["arn:aws:sns:us-east-1:111122223333:replication-acme-orders-prod-alarms"],
    okActions: ["arn:aws:sns:us-east-1:111122223333:replication-acme-orders-prod-alarms"],
    insufficientDataActions: [],
    tags: { "managed-by": "s3-cross-account-replication", "replication-stack": "replication-acme-orders-prod" },
    ...fields,
  });
  const alarmProblems = (fields: Partial<AlarmState>) =>
    readBackProblems(
      loadExpected("rtc-monitoring"),
      new Map([
        [SOURCE, account({ alarms: [alarm(fields)] })],
        [DESTINATION, account({})],
      ]),
    ).filter((p) => p.startsWith("alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency"));

  it("reads back every attribute the stack sets on an alarm", () => {
    expect(alarmProblems({})).toEqual([]);
    expect(alarmProblems({ period: 60, evaluationPeriods: 3, datapointsToAlarm: 2 })).toEqual([
      "alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency.datapointsToAlarm: is 2, expected null",
      "alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency.evaluationPeriods: is 3, expected 1",
      "alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency.period: is 60, expected 300",
    ]);
    expect(alarmProblems({ treatMissingData: "breaching", okActions: [] })).toEqual([
      'alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency.okActions[0]: is null, expected "arn:aws:sns:us-east-1:111122223333:replication-acme-orders-prod-alarms"',
      'alarm replication-acme-orders-prod/orders-rtc/ReplicationLatency.treatMissingData: is "breaching", expected "ignore"',
    ]);
  });

  it("names a created key by its alias: the rule and the role policy must carry that key's ARN", () => {
    const keyArn = "arn:aws:kms:us-west-2:444455556666:key/created-by-the-stack";
    const world = new Map([
      [
        SOURCE,
        account({
          buckets: [
            bucket("acme-payments-prod", "us-east-1", {
              replication: {
                Role: "arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod",
                Rules: [
                  {
                    ID: "ledgers-to-archive",
                    Priority: 2,
                    Status: "Enabled",
                    Filter: { Prefix: "ledgers/" },
                    DeleteMarkerReplication: { Status: "Disabled" },
                    SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } },
                    Destination: {
                      Bucket: "arn:aws:s3:::acme-ledgers-archive",
                      Account: DESTINATION,
                      AccessControlTranslation: { Owner: "Destination" },
                      EncryptionConfiguration: { ReplicaKmsKeyID: "arn:aws:kms:us-west-2:444455556666:key/another" },
                    },
                  },
                ],
              },
            }),
          ],
        }),
      ],
      [
        DESTINATION,
        account({
          aliases: [{ name: "alias/acme-ledgers-replicas", region: "us-west-2", targetKeyId: "created-by-the-stack" }],
          keys: [
            {
              arn: keyArn,
              region: "us-west-2",
              state: "Enabled",
              rotation: false,
              description: "SSE-KMS replicas in acme-ledgers-archive, replicated from acme-payments-prod",
              tags: {
                "managed-by": "s3-cross-account-replication",
                "replication-stack": "replication-acme-payments-prod",
              },
              policy: {},
            },
          ],
        }),
      ],
    ]);
    const problems = readBackProblems(loadExpected("kms"), world);
    expect(problems).toContain(
      'bucket acme-payments-prod replication rule ledgers-to-archive.Destination.EncryptionConfiguration.ReplicaKmsKeyID: is "arn:aws:kms:us-west-2:444455556666:key/another", expected "arn:aws:kms:us-west-2:444455556666:key/created-by-the-stack"',
    );
    expect(problems).toContain("key behind alias/acme-ledgers-replicas.rotation: is false, expected true");
    expect(problems).toContain("key behind alias/acme-ledgers-replicas policy: statement EnableIamPolicies: missing");
  });
});

describe("expected files", () => {
  const root = join(__dirname, "..", "..");
  const configs = [
    "replication.config",
    ...readdirSync(join(root, "examples"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => basename(f, ".json")),
    "proof-template-text",
    "proof-rename-role",
    "proof-one-to-fan-in",
  ].sort();

  it("exist for every config the end-to-end test reads back, and for nothing else", () => {
    expect(readdirSync(EXPECTED_DIR).sort()).toEqual(configs);
  });

  it.each(configs)("of %s load, and every file in them is named by a stack.json", (config) => {
    expect(loadExpected(config).stacks.size).toBeGreaterThan(0);
  });

  it("are compared without the project's builders: read-back imports nothing from lib/policies, lib/perms, lib/naming", () => {
    const sources = ["read-back.ts", "expected.ts", "iam-equivalence.ts", "leftovers.ts", "world.ts", "fan-in.ts"];
    const imports = sources.flatMap((f) =>
      [...readFileSync(join(__dirname, f), "utf8").matchAll(/from "(\.\.\/\.\.\/lib\/[^"]+)"/g)].map(
        (m) => `${f}: ${m[1]}`,
      ),
    );
    expect(imports.filter((i) => /lib\/(policies|perms|naming|arn)/.test(i))).toEqual([]);
  });
});

describe("leftovers", () => {
  const model = modelOf(guideConfig());
  const expected = loadExpected("replication.config");
  const seeded = [
    { account: SOURCE, region: "us-east-1", bucket: "my-app-data-prod", objectLock: false, objects: {} },
    { account: DESTINATION, region: "us-west-2", bucket: "my-app-data-backup", objectLock: false, objects: {} },
  ];
  const destroyed = (): Map<string, AccountState> =>
    new Map([
      [SOURCE, account({ buckets: [bucket("my-app-data-prod", "us-east-1", { versioning: "Suspended" })] })],
      [DESTINATION, account({ buckets: [bucket("my-app-data-backup", "us-west-2", { versioning: "Suspended" })] })],
    ]);
  const facts = (after: Snapshot): CleanupFacts => ({
    model,
    expected,
    seeded,
    applied: applied(),
    before: destroyed(),
    after,
  });

  it("accepts what help/cleanup.md promises", () => {
    expect(leftoverProblems(facts(destroyed()))).toEqual([]);
  });

  it("reports a seed object that is gone, a role left behind and versioning left Enabled", () => {
    const after = edit(destroyed(), SOURCE, (a) => ({
      ...a,
      roles: applied().get(SOURCE)?.roles.slice(1) ?? [],
      buckets: a.buckets.map((b) => ({ ...b, objects: {}, versioning: "Enabled" })),
    }));
    expect(leftoverProblems(facts(after))).toEqual([
      `bucket my-app-data-prod object ${SEED_KEY}: missing or changed`,
      "bucket my-app-data-prod versioning: Enabled, expected Suspended",
      "role s3-batch-replication-my-app-data-prod: still exists",
    ]);
  });

  it("expects versioning to stay Enabled on an Object Lock bucket", () => {
    const locked = modelOf(
      configWith((c) => {
        c.replications[0].source.objectLock = true;
        c.replications[0].rules[0].destination.objectLock = true;
      }),
    );
    const problems = leftoverProblems({ ...facts(destroyed()), model: locked });
    expect(problems).toEqual([
      "bucket my-app-data-prod versioning: Suspended, expected Enabled",
      "bucket my-app-data-backup versioning: Suspended, expected Enabled",
    ]);
  });
});
