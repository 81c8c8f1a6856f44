// The end-to-end test's comparisons, on hand-made account snapshots: a faithful snapshot passes,
// and each kind of drift is reported by name. (The comparisons themselves run in npm run test:e2e.)
import type { Model } from "../../lib/config/model";
import { ROLE_POLICY_NAME } from "../../lib/naming";
import { batchRolePolicy, batchTrustPolicy } from "../../lib/policies/batch-policies";
import { destinationBucketPolicy } from "../../lib/policies/destination-bucket-policy";
import { rolePolicy } from "../../lib/policies/role-policy";
import { trustPolicy } from "../../lib/policies/trust-policy";
import { configWith, guideConfig, modelOf } from "../helpers/config";
import { type CleanupFacts, leftoverProblems } from "./leftovers";
import { expectedRule, readBackProblems } from "./read-back";
import type { AccountState, BucketState, Snapshot } from "./snapshot";
import { SEED_KEY } from "./world";

const SOURCE = "111122223333";
const DESTINATION = "444455556666";

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
    objects: { [SEED_KEY]: "hash" },
    ...fields,
  };
}

function account(fields: Partial<AccountState>): AccountState {
  return { roles: [], buckets: [], keys: [], aliases: [], topics: [], alarms: [], ...fields };
}

/** What the guide's setup looks like in its two accounts once applied. */
function applied(model: Model): Map<string, AccountState> {
  const [r] = model.replications;
  const [d] = r.destinations;
  return new Map([
    [
      SOURCE,
      account({
        roles: [
          {
            name: r.role.name,
            path: "/",
            arn: r.role.arn,
            trustPolicy: trustPolicy(r),
            inlinePolicies: { [ROLE_POLICY_NAME]: rolePolicy(r) },
          },
          {
            name: r.batch.roleName,
            path: "/",
            arn: r.batch.roleArn,
            trustPolicy: batchTrustPolicy(),
            inlinePolicies: { S3BatchReplicationPolicy: batchRolePolicy(r) },
          },
        ],
        buckets: [
          bucket(r.source.bucket, "us-east-1", {
            replication: { Role: r.role.arn, Rules: r.rules.map((rule) => expectedRule(rule, () => undefined)) },
          }),
        ],
      }),
    ],
    [DESTINATION, account({ buckets: [bucket(d.bucket, "us-west-2", { policy: destinationBucketPolicy(r, d) })] })],
  ]);
}

function edit(snapshot: Map<string, AccountState>, id: string, change: (a: AccountState) => AccountState): Snapshot {
  const copy = new Map(snapshot);
  copy.set(id, change(snapshot.get(id) as AccountState));
  return copy;
}

describe("read-back", () => {
  const model = modelOf(guideConfig());

  it("finds nothing to report when the accounts hold what the config asks for", () => {
    expect(readBackProblems(model, applied(model))).toEqual([]);
  });

  const withFilter = (filter: unknown): Snapshot =>
    edit(applied(model), SOURCE, (a) => ({
      ...a,
      buckets: a.buckets.map((b) => ({
        ...b,
        replication: b.replication && {
          ...b.replication,
          Rules: b.replication.Rules.map((rule: Record<string, unknown>) => ({ ...rule, Filter: filter })),
        },
      })),
    }));

  it("reports a rule whose live filter differs from the config", () => {
    expect(readBackProblems(model, withFilter({ Prefix: "logs/" }))).toEqual([
      expect.stringMatching(
        /^rule CrossAccountReplicationRule: is .*"Filter":\{"Prefix":"logs\/"\}.*, expected .*"Filter":\{\}/,
      ),
    ]);
  });

  it("takes an empty prefix filter for the empty filter: both select every object", () => {
    expect(readBackProblems(model, withFilter({ Prefix: "" }))).toEqual([]);
  });

  it("reports versioning that is not Enabled and a missing bucket policy", () => {
    const drifted = edit(applied(model), DESTINATION, (a) => ({
      ...a,
      buckets: a.buckets.map((b) => ({ ...b, versioning: "Suspended", policy: null })),
    }));
    const problems = readBackProblems(model, drifted);
    expect(problems).toContain('bucket my-app-data-backup versioning: is "Suspended", expected "Enabled"');
    expect(problems).toContainEqual(expect.stringMatching(/^bucket my-app-data-backup policy: is null, expected /));
  });

  it("reports a role policy that lost an action", () => {
    const drifted = edit(applied(model), SOURCE, (a) => ({
      ...a,
      roles: a.roles.map((role) =>
        role.name === "s3-replication-my-app-data-prod"
          ? { ...role, inlinePolicies: { [ROLE_POLICY_NAME]: { Version: "2012-10-17", Statement: [] } } }
          : role,
      ),
    }));
    expect(readBackProblems(model, drifted)).toEqual([
      expect.stringMatching(/^role s3-replication-my-app-data-prod S3ReplicationPermissionsPolicy: is /),
    ]);
  });

  it("reports a missing role", () => {
    const drifted = edit(applied(model), SOURCE, (a) => ({ ...a, roles: a.roles.slice(1) }));
    expect(readBackProblems(model, drifted)).toEqual(["role s3-replication-my-app-data-prod: missing"]);
  });

  it("expects the And filter with tags in key order and owner override", () => {
    const tagged = modelOf(
      configWith((c) => {
        c.replications[0].rules[0].deleteMarkerReplication = false;
        c.replications[0].rules[0].filter = { prefix: "logs/", tags: { b: "2", a: "1" } };
      }),
    );
    expect(expectedRule(tagged.replications[0].rules[0], () => undefined)).toMatchObject({
      Filter: {
        And: {
          Prefix: "logs/",
          Tags: [
            { Key: "a", Value: "1" },
            { Key: "b", Value: "2" },
          ],
        },
      },
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: { AccessControlTranslation: { Owner: "Destination" }, Account: DESTINATION },
    });
  });
});

describe("leftovers", () => {
  const model = modelOf(guideConfig());
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
    seeded,
    applied: applied(model),
    before: destroyed(),
    after,
  });

  it("accepts what the README's Cleanup section promises", () => {
    expect(leftoverProblems(facts(destroyed()))).toEqual([]);
  });

  it("reports a seed object that is gone, a role left behind and versioning left Enabled", () => {
    const after = edit(destroyed(), SOURCE, (a) => ({
      ...a,
      roles: applied(model).get(SOURCE)?.roles.slice(0, 1) ?? [],
      buckets: a.buckets.map((b) => ({ ...b, objects: {}, versioning: "Enabled" })),
    }));
    expect(leftoverProblems(facts(after))).toEqual([
      `bucket my-app-data-prod object ${SEED_KEY}: missing or changed`,
      "bucket my-app-data-prod versioning: Enabled, expected Suspended",
      "role s3-replication-my-app-data-prod: still exists",
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
