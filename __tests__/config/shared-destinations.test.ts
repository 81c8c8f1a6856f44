import type { ConfigInput } from "../../lib/config/schema";
import { configWith, problemsOf } from "../helpers/config";

/** The guide's setup plus a second source bucket replicating into the same destination. */
function fanIn(edit: (config: ConfigInput) => void = () => {}): ConfigInput {
  return configWith((c) => {
    c.replications.push({
      source: { account: "source", bucket: "my-app-logs-prod" },
      rules: [{ id: "logs", priority: 1, destination: { account: "backup", bucket: "my-app-data-backup" } }],
    });
    edit(c);
  });
}

describe("shared destinations", () => {
  test("rejects a sharedDestinations entry that no rule replicates into", () => {
    const config = fanIn((c) => {
      c.sharedDestinations = { "not-a-destination": {} };
    });
    expect(problemsOf(config)).toEqual([
      'sharedDestinations["not-a-destination"]: "not-a-destination" is not the destination of any rule: a shared destination is a bucket that rules replicate into',
    ]);
  });

  test("rejects sources that name different replica keys for the shared bucket", () => {
    const config = fanIn((c) => {
      c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/a"];
      c.replications[1].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/b"];
      for (const r of c.replications) {
        r.rules[0].replicateSseKms = true;
        r.rules[0].destination.replicaKms = { create: true };
      }
      c.replications[1].rules[0].destination.replicaKms = { create: true, alias: "alias/other" };
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].rules[0].destination.replicaKms: replications[0].rules[0] names another replica key for the shared bucket "my-app-data-backup": every source must name the same replicaKms',
    ]);
  });

  test("rejects per-source bucket policy statements on a shared bucket", () => {
    const config = fanIn((c) => {
      c.replications[1].destinationPolicies = {
        "my-app-data-backup": { additionalStatements: [{ Sid: "Keep", Effect: "Allow" }] },
      };
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].destinationPolicies["my-app-data-backup"]: "my-app-data-backup" is shared by several sources, so its bucket policy belongs to its destination stack: move these statements to sharedDestinations["my-app-data-backup"].additionalStatements',
    ]);
  });

  test("rejects a kept statement that reuses a Sid the project writes", () => {
    const config = fanIn((c) => {
      c.sharedDestinations = {
        "my-app-data-backup": { additionalStatements: [{ Sid: "AllowReplicationFromSourceRole2", Effect: "Allow" }] },
      };
    });
    expect(problemsOf(config)).toEqual([
      'sharedDestinations["my-app-data-backup"].additionalStatements[0].Sid: Sid "AllowReplicationFromSourceRole2" is one of the statements this project writes: choose another Sid',
    ]);
  });

  test("rejects a source role the organization grant's pattern does not match", () => {
    const config = fanIn((c) => {
      c.sharedDestinations = { "my-app-data-backup": { organization: { id: "o-a1b2c3d4e5" } } };
      for (const r of c.replications) r.rules[0].filter = { prefix: "AWSLogs/111122223333/" };
      c.replications[1].role = { name: "LogsReplication" };
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].role: the role arn:aws:iam::111122223333:role/LogsReplication does not match sharedDestinations["my-app-data-backup"].organization.roleNamePattern (s3-replication-*), so the shared bucket would refuse its replicas: rename the role or widen the pattern',
    ]);
  });

  test("rejects an organization id that is not one", () => {
    const config = fanIn((c) => {
      c.sharedDestinations = { "my-app-data-backup": { organization: { id: "a1b2c3d4e5" } } };
    });
    expect(problemsOf(config)).toEqual([
      'sharedDestinations["my-app-data-backup"].organization.id: must be an AWS Organizations id like "o-a1b2c3d4e5"',
    ]);
  });

  test("rejects a source bucket whose stack name is the shared bucket's destination stack", () => {
    const config = fanIn((c) => {
      c.replications.push({
        source: { account: "source", bucket: "destination-my-app-data-backup" },
        rules: [{ id: "r", priority: 1, destination: { account: "backup", bucket: "another-backup" } }],
      });
    });
    expect(problemsOf(config)).toEqual([
      'replications[2].source.bucket: bucket "destination-my-app-data-backup" gives the same stack name as the destination stack of the shared bucket "my-app-data-backup" (replication-destination-my-app-data-backup): use separate config files for these buckets',
    ]);
  });

  test("rejects sources that describe the shared bucket differently", () => {
    const config = fanIn((c) => {
      c.replications[1].rules[0].destination.objectLock = true;
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].rules[0].destination: bucket "my-app-data-backup" is described differently in replications[0].rules[0].destination (objectLock): one bucket has one account, Region and settings; make every mention match',
    ]);
  });
});

describe("a shared destination's checks", () => {
  test("keeps extra statements with Sids of their own, or none, and refuses the TLS-only statement's Sid", () => {
    const config = fanIn((c) => {
      c.sharedDestinations = {
        "my-app-data-backup": {
          additionalStatements: [
            { Sid: "DenyInsecureTransport", Effect: "Deny" },
            { Sid: "KeepAuditRead", Effect: "Allow" },
            { Effect: "Allow" },
          ],
        },
      };
    });
    expect(problemsOf(config)).toEqual([
      'sharedDestinations["my-app-data-backup"].additionalStatements[0].Sid: Sid "DenyInsecureTransport" is one of the statements this project writes: choose another Sid',
    ]);
  });

  test("two keys in rules of one source are that source's conflict, reported once", () => {
    const config = fanIn((c) => {
      for (const [n, r] of c.replications.entries()) {
        r.source.sseKmsKeyArns = [`arn:aws:kms:us-east-1:111122223333:key/${n}`];
        r.rules[0].replicateSseKms = true;
        r.rules[0].destination.replicaKms = { create: true };
      }
      c.replications[0].rules.push({
        id: "second",
        priority: 2,
        filter: { prefix: "b/" },
        deleteMarkerReplication: false,
        replicateSseKms: true,
        destination: {
          account: "backup",
          bucket: "my-app-data-backup",
          replicaKms: { create: true, alias: "alias/b" },
        },
      });
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].rules[1].destination.replicaKms: rules[0] names another replica key for "my-app-data-backup": use one key per destination bucket',
    ]);
  });
});
