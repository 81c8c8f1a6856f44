import type { ConfigInput } from "../../lib/config/schema";
import { configWith, modelOf, problemsOf } from "../helpers/config";

const SOURCE_KEY = "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-1111-1111-111111111111";
const REPLICA_KEY = "arn:aws:kms:us-west-2:444455556666:key/22222222-2222-2222-2222-222222222222";

type Rule = ConfigInput["replications"][number]["rules"][number];

function withRule(edit: (rule: Rule, config: ConfigInput) => void): ConfigInput {
  return configWith((c) => edit(c.replications[0].rules[0], c));
}

const RULE = "replications[0].rules[0]";

describe("feature validation", () => {
  describe("SSE-KMS", () => {
    test("accepts SSE-KMS replication with source keys and a replica key", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { keyArn: REPLICA_KEY };
      });
      expect(() => modelOf(config)).not.toThrow();
    });

    test("rejects SSE-KMS replication without a replica key", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.replicaKms: replicating SSE-KMS objects needs a replica key in the destination Region: set replicaKms.keyArn, or replicaKms.create: true`,
      ]);
    });

    test("rejects SSE-KMS replication without the source keys", () => {
      const config = withRule((rule) => {
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { create: true };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.replicateSseKms: the role must be allowed to decrypt source objects: list the keys that encrypt them in source.sseKmsKeyArns`,
      ]);
    });

    test("rejects a replica key on a rule that does not replicate SSE-KMS objects", () => {
      const config = withRule((rule) => {
        rule.destination.replicaKms = { keyArn: REPLICA_KEY };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.replicaKms: a replica key is used only for SSE-KMS objects: set replicateSseKms: true on this rule, or remove replicaKms`,
      ]);
    });

    test("rejects naming both an existing key and a created one", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { keyArn: REPLICA_KEY, create: true };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.replicaKms: name exactly one key: keyArn (an existing key) or create: true (a key this stack creates)`,
      ]);
    });

    test("rejects an alias for a key the stack does not create", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { keyArn: REPLICA_KEY, alias: "alias/replicas" };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.replicaKms.alias: alias names a key this stack creates: add create: true, or remove alias`,
      ]);
    });

    test("rejects a replica key in another Region than the destination bucket", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { keyArn: REPLICA_KEY.replace("us-west-2", "eu-west-1") };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.replicaKms.keyArn: the replica key must be in the destination bucket's Region (us-west-2), not eu-west-1`,
      ]);
    });

    test("rejects a key alias where a key ARN is needed", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:alias/source"];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { create: true };
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].source.sseKmsKeyArns[0]: must be a KMS key ARN like arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias: S3 resolves aliases in the caller's account)",
      ]);
    });

    test("rejects a source key in another Region than the source bucket", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY.replace("us-east-1", "us-east-2")];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { create: true };
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].source.sseKmsKeyArns[0]: a key that encrypts source objects is in the source bucket's Region (us-east-1), not us-east-2",
      ]);
    });

    test("rejects source keys when no rule replicates SSE-KMS objects", () => {
      const config = withRule((_rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].source.sseKmsKeyArns: no rule replicates SSE-KMS objects, so the role needs no key: set replicateSseKms on a rule, or remove sseKmsKeyArns",
      ]);
    });

    test("rejects two replica keys for one destination bucket", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { keyArn: REPLICA_KEY };
        c.replications[0].rules.push({
          ...rule,
          id: "second",
          priority: 2,
          filter: { prefix: "logs/" },
          destination: { ...rule.destination, replicaKms: { create: true } },
        });
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[1].destination.replicaKms: rules[0] names another replica key for "my-app-data-backup": use one key per destination bucket',
      ]);
    });
  });

  describe("aliases of created replica keys", () => {
    /** A second rule of the first replication, into another bucket of the destination account. */
    function withSecondKey(
      firstAlias?: string,
      secondAlias?: string,
      secondBucket = "my-app-data-archive",
    ): ConfigInput {
      return withRule((rule, c) => {
        c.replications[0].source.sseKmsKeyArns = [SOURCE_KEY];
        rule.replicateSseKms = true;
        rule.destination.replicaKms = { create: true, ...(firstAlias ? { alias: firstAlias } : {}) };
        c.replications[0].rules.push({
          ...rule,
          id: "second",
          priority: 2,
          filter: { prefix: "logs/" },
          destination: {
            ...rule.destination,
            bucket: secondBucket,
            replicaKms: { create: true, ...(secondAlias ? { alias: secondAlias } : {}) },
          },
        });
      });
    }

    test("rejects two created keys with one alias in one account and Region", () => {
      expect(problemsOf(withSecondKey("alias/replicas", "alias/replicas"))).toEqual([
        'replications[0].rules[1].destination.replicaKms.alias: the replica key created for my-app-data-archive would take the alias alias/replicas, which the key created for my-app-data-backup already has in account "backup" (aliases are unique per account and Region): give one of them its own replicaKms.alias',
      ]);
    });

    test("rejects two buckets whose default aliases are the same (dots become dashes)", () => {
      const config = withSecondKey(undefined, undefined, "my-app-data.backup");
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[1].destination.replicaKms: the replica key created for my-app-data.backup would take the alias alias/s3-replica-my-app-data-backup, which the key created for my-app-data-backup already has in account "backup" (aliases are unique per account and Region): give one of them its own replicaKms.alias',
      ]);
    });

    test("rejects one alias across two source buckets' stacks", () => {
      const config = withSecondKey("alias/replicas");
      config.replications[0].rules.pop();
      config.replications.push({
        ...config.replications[0],
        source: { ...config.replications[0].source, bucket: "my-app-logs-prod" },
        rules: [
          {
            ...config.replications[0].rules[0],
            destination: {
              ...config.replications[0].rules[0].destination,
              bucket: "my-app-logs-backup",
              replicaKms: { create: true, alias: "alias/replicas" },
            },
          },
        ],
      });
      expect(problemsOf(config)).toEqual([
        'replications[1].rules[0].destination.replicaKms.alias: the replica key created for my-app-logs-backup would take the alias alias/replicas, which the key created for my-app-data-backup already has in account "backup" (aliases are unique per account and Region): give one of them its own replicaKms.alias',
      ]);
    });

    test("accepts one alias in two Regions, and two rules into one bucket sharing its key", () => {
      const config = withSecondKey("alias/replicas", "alias/replicas");
      config.replications[0].rules[1].destination.region = "eu-west-1";
      expect(() => modelOf(config)).not.toThrow();
      const oneBucket = withSecondKey(undefined, undefined, "my-app-data-backup");
      expect(() => modelOf(oneBucket)).not.toThrow();
    });
  });

  describe("Replication Time Control and monitoring", () => {
    test("rejects an RTC threshold other than 15 minutes", () => {
      const config = withRule((rule) => {
        rule.replicationTime = { minutes: 30 };
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.replicationTime.minutes: S3 Replication Time Control only accepts 15 minutes (got 30): set 15 or remove it`,
      ]);
    });

    test("rejects RTC with metrics turned off", () => {
      const config = withRule((rule) => {
        rule.replicationTime = {};
        rule.metrics = false;
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.metrics: S3 Replication Time Control needs replication metrics: remove metrics: false, or remove replicationTime`,
      ]);
    });

    test("rejects alarms when no rule publishes metrics", () => {
      const config = configWith((c) => {
        c.replications[0].monitoring = {};
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].monitoring: no rule has replication metrics, so S3 publishes nothing to alarm on: set metrics: true or replicationTime on a rule",
      ]);
    });

    test("rejects an email subscription to a topic the stack does not create", () => {
      const config = withRule((rule, c) => {
        rule.metrics = true;
        c.replications[0].monitoring = {
          snsTopicArn: "arn:aws:sns:us-east-1:111122223333:ops",
          email: "ops@example.com",
        };
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].monitoring.email: an email is subscribed only to a topic the stack creates: subscribe it to your snsTopicArn yourself, or remove snsTopicArn",
      ]);
    });

    test("rejects rule ids that give one alarm address, and only when there are alarms", () => {
      const config = withRule((rule, c) => {
        c.replications[0].rules.push({
          ...rule,
          id: "Cross Account Replication Rule",
          priority: 2,
          filter: { prefix: "a/" },
        });
        rule.id = "Cross_Account_Replication_Rule";
      });
      expect(() => modelOf(config)).not.toThrow();
      config.replications[0].rules[0].metrics = true;
      config.replications[0].monitoring = {};
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[1].id: rule ids "Cross_Account_Replication_Rule" and "Cross Account Replication Rule" give the same Terraform name (Cross_Account_Replication_Rule): make them differ in letters or digits',
      ]);
    });
  });

  describe("rule sets", () => {
    test("rejects two rules with the same filter and destination", () => {
      const config = withRule((rule, c) => {
        c.replications[0].rules.push({ ...rule, id: "copy", priority: 2 });
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].rules[1].filter: rules[0] has the same filter and destination, so only the higher priority of the two ever applies: merge them or change a filter",
      ]);
    });

    test("accepts two rules into one destination with different filters", () => {
      const config = withRule((rule, c) => {
        rule.filter = { prefix: "logs/" };
        c.replications[0].rules.push({ ...rule, id: "images", priority: 2, filter: { prefix: "images/" } });
      });
      expect(() => modelOf(config)).not.toThrow();
    });
  });

  describe("Object Lock and ownership", () => {
    test("rejects Object Lock on the source only", () => {
      const config = withRule((_rule, c) => {
        c.replications[0].source.objectLock = true;
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.objectLock: the source bucket has Object Lock, so S3 needs Object Lock on the destination too (DstBucketObjectLockConfigMissing): replicate into a bucket with Object Lock and set objectLock: true`,
      ]);
    });

    test("accepts Object Lock on both buckets", () => {
      const config = withRule((rule, c) => {
        c.replications[0].source.objectLock = true;
        rule.destination.objectLock = true;
      });
      expect(() => modelOf(config)).not.toThrow();
    });

    test("rejects source-owned replicas in a BucketOwnerEnforced destination", () => {
      const config = withRule((rule) => {
        rule.destination.objectOwnership = "BucketOwnerEnforced";
        rule.replicaOwner = "source";
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.replicaOwner: the destination is BucketOwnerEnforced, so it owns every replica whatever the rule says: remove replicaOwner (or set it to "destination")`,
      ]);
    });

    test("rejects another object ownership on a created bucket", () => {
      const config = withRule((rule) => {
        rule.destination.create = true;
        rule.destination.objectOwnership = "ObjectWriter";
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.objectOwnership: a created bucket is always BucketOwnerEnforced (ACLs disabled): remove objectOwnership`,
      ]);
    });

    test("rejects an unknown storage class", () => {
      const config = withRule((rule) => {
        (rule.destination as Record<string, unknown>).storageClass = "GLACIER_DEEP";
      });
      expect(problemsOf(config)).toEqual([
        `${RULE}.destination.storageClass: Invalid option: expected one of "STANDARD"|"STANDARD_IA"|"ONEZONE_IA"|"INTELLIGENT_TIERING"|"GLACIER_IR"|"GLACIER"|"DEEP_ARCHIVE"|"REDUCED_REDUNDANCY"`,
      ]);
    });
  });

  describe("state bootstrap", () => {
    test("rejects a bootstrap account that is not declared", () => {
      const config = configWith((c) => {
        c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", bootstrap: { account: "state" } };
      });
      expect(problemsOf(config)).toEqual([
        'backend.bootstrap.account: unknown account "state": use one of the names under "accounts" (source, backup)',
      ]);
    });
  });
});
