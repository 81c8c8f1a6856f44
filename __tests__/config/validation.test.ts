import type { ConfigInput } from "../../lib/config/schema";
import { configWith, guideConfig, modelOf, problemsOf } from "../helpers/config";

// Loose access for tests that write what the schema forbids.
type Loose = Record<string, any>;
const loose = (config: ConfigInput) => config as unknown as Loose;

describe("config validation", () => {
  test("accepts the guide's setup", () => {
    expect(() => modelOf(guideConfig())).not.toThrow();
  });

  describe("accounts", () => {
    test("rejects an account id that is not 12 digits", () => {
      const config = configWith((c) => {
        c.accounts.source.accountId = "11112222333";
      });
      expect(problemsOf(config)).toEqual([
        'accounts.source.accountId: must be a 12-digit AWS account id in quotes, like "111122223333"',
      ]);
    });

    test("rejects an account id written as a number", () => {
      const config = configWith((c) => {
        loose(c).accounts.backup.accountId = 444455556666;
      });
      expect(problemsOf(config)).toEqual([
        "accounts.backup.accountId: must be a string, not a number: put the value in quotes",
      ]);
    });

    test("rejects a malformed Region", () => {
      const config = configWith((c) => {
        c.accounts.source.region = "us-east";
      });
      expect(problemsOf(config)).toEqual([
        'accounts.source.region: must be an AWS Region code like "us-east-1", in one of the partitions aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc',
      ]);
    });

    test("rejects an account without a credentials source", () => {
      const config = configWith((c) => {
        delete c.accounts.backup.credentials;
        c.accounts.source.credentials = {};
      });
      const fix =
        'no credentials source: set "profile" (an AWS CLI profile, for workstations) or "roleArn" (a role to assume, for pipelines)';
      expect(problemsOf(config)).toEqual([
        `accounts.source.credentials: ${fix}`,
        `accounts.backup.credentials: ${fix}`,
      ]);
    });

    test("rejects a role ARN that is not one", () => {
      const config = configWith((c) => {
        c.accounts.source.credentials = { roleArn: "arn:aws:iam::1:role/deployer" };
      });
      expect(problemsOf(config)).toEqual([
        "accounts.source.credentials.roleArn: must be an IAM role ARN like arn:aws:iam::111122223333:role/name",
      ]);
    });

    test("rejects a reference to an account that is not declared, naming the declared ones", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].destination.account = "bakup";
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[0].destination.account: unknown account "bakup": use one of the names under "accounts" (source, backup)',
      ]);
    });
  });

  describe("buckets", () => {
    test.each([
      ["My_Bucket", "may hold only lowercase letters, digits, dots (.) and hyphens (-)"],
      ["ab", "must be 3 to 63 characters long (it has 2)"],
      ["-bucket", "must begin and end with a lowercase letter or a digit"],
      ["my..bucket", "must not contain two adjacent dots"],
      ["192.168.5.4", "must not be formatted as an IP address"],
      ["xn--bucket", 'must not start with the reserved prefix "xn--"'],
      ["bucket-s3alias", 'must not end with the reserved suffix "-s3alias"'],
    ])("rejects the bucket name %s", (name, problem) => {
      const config = configWith((c) => {
        c.replications[0].source.bucket = name;
      });
      expect(problemsOf(config)).toEqual([
        `replications[0].source.bucket: "${name}" is not a valid S3 bucket name: it ${problem}`,
      ]);
    });

    test("checks destination and state bucket names too", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].destination.bucket = "Backup";
        loose(c).backend.bucket = "state_bucket";
      });
      expect(problemsOf(config)).toEqual([
        'backend.bucket: "state_bucket" is not a valid S3 bucket name: it may hold only lowercase letters, digits, dots (.) and hyphens (-)',
        'replications[0].rules[0].destination.bucket: "Backup" is not a valid S3 bucket name: it may hold only lowercase letters, digits, dots (.) and hyphens (-)',
      ]);
    });

    test("rejects a rule that replicates a bucket into itself", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].destination = { account: "source", bucket: "my-app-data-prod" };
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[0].destination.bucket: replicates bucket "my-app-data-prod" into itself: name a different destination bucket',
      ]);
    });

    test("rejects one bucket described differently in two places", () => {
      const config = configWith((c) => {
        c.replications[0].rules.push({
          id: "second",
          priority: 2,
          filter: { prefix: "logs/" },
          destination: { account: "source", bucket: "my-app-data-backup", objectLock: true },
        });
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[1].destination: bucket "my-app-data-backup" is described differently in replications[0].rules[0].destination (account, region, objectLock): one bucket has one account, Region and settings; make every mention match',
      ]);
    });

    test("rejects replication across partitions", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].destination.region = "cn-north-1";
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].rules[0].destination.region: S3 cannot replicate between partitions (us-east-1 and cn-north-1): choose a destination in the source's partition",
      ]);
    });
  });

  describe("rules", () => {
    test("rejects duplicate rule ids and priorities, naming the first use", () => {
      const config = configWith((c) => {
        c.replications[0].rules.push({ ...c.replications[0].rules[0], filter: { prefix: "logs/" } });
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[1].id: duplicate rule id "CrossAccountReplicationRule" (also in rules[0]): give each rule its own id',
        "replications[0].rules[1].priority: duplicate priority 1 (also in rules[0]): S3 needs a distinct priority per rule",
      ]);
    });

    test("rejects delete-marker replication with a tag filter", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].filter = { prefix: "logs/", tags: { replicate: "true" } };
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].rules[0].deleteMarkerReplication: S3 rejects delete-marker replication in a rule with a tag filter: set deleteMarkerReplication to false, or remove filter.tags",
      ]);
    });

    test("allows a tag filter without delete-marker replication", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].filter = { tags: { replicate: "true" } };
        c.replications[0].rules[0].deleteMarkerReplication = false;
      });
      expect(() => modelOf(config)).not.toThrow();
    });

    test("rejects a source bucket without rules", () => {
      const config = configWith((c) => {
        c.replications[0].rules = [];
      });
      expect(problemsOf(config)).toEqual(["replications[0].rules: needs at least one rule"]);
    });

    test("rejects a missing priority and a fractional one", () => {
      const config = configWith((c) => {
        delete loose(c).replications[0].rules[0].priority;
        c.replications[0].rules.push({ id: "b", priority: 1.5, destination: { account: "backup", bucket: "other-b" } });
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].rules[0].priority: is required",
        "replications[0].rules[1].priority: must be a whole number",
      ]);
    });

    test("rejects an unknown replica owner", () => {
      const config = configWith((c) => {
        loose(c).replications[0].rules[0].replicaOwner = "bucket-owner";
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[0].replicaOwner: Invalid option: expected one of "destination"|"source"',
      ]);
    });
  });

  describe("unknown keys", () => {
    test("names each unknown key and suggests the likely one", () => {
      const config = configWith((c) => {
        loose(c).replications[0].rules[0].prioirty = 2;
        loose(c).acounts = {};
        loose(c).backend.bukcet = "x";
      });
      expect(problemsOf(config)).toEqual([
        'backend.bukcet: unknown key: did you mean "bucket"?',
        'replications[0].rules[0].prioirty: unknown key: did you mean "priority"?',
        'acounts: unknown key: did you mean "accounts"?',
      ]);
    });

    test("lists the allowed keys when nothing is close", () => {
      const config = configWith((c) => {
        loose(c).replications[0].source.owner = "team-a";
      });
      expect(problemsOf(config)).toEqual([
        "replications[0].source.owner: unknown key: allowed keys here: account, bucket, region, create, objectLock, objectOwnership, bucketKeyEnabled, sseKmsKeyArns",
      ]);
    });

    test("suggests keys of the chosen backend type", () => {
      const config = configWith((c) => {
        c.backend = { type: "local" };
        loose(c).backend.bucket = "x";
      });
      expect(problemsOf(config)).toEqual(["backend.bucket: unknown key: allowed keys here: type"]);
    });
  });

  test("rejects a permissions boundary that is not a policy ARN", () => {
    const config = configWith((c) => {
      c.replications[0].role = { permissionsBoundary: "org-boundary" };
    });
    expect(problemsOf(config)).toEqual([
      "replications[0].role.permissionsBoundary: must be an IAM managed policy ARN like arn:aws:iam::111122223333:policy/boundary",
    ]);
  });

  describe("backend", () => {
    test("rejects an unknown backend type", () => {
      const config = configWith((c) => {
        loose(c).backend.type = "gcs";
      });
      expect(problemsOf(config)).toEqual(['backend.type: must be "s3" or "local"']);
    });

    test("rejects backend credentials without a source", () => {
      const config = configWith((c) => {
        c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", credentials: {} };
      });
      expect(problemsOf(config)).toEqual([
        'backend.credentials: no credentials source: set "profile" or "roleArn", or leave "credentials" out to use the default chain',
      ]);
    });
  });

  describe("across source buckets", () => {
    test("rejects a source bucket listed twice", () => {
      const config = configWith((c) => {
        c.replications.push({
          source: { account: "source", bucket: "my-app-data-prod" },
          rules: [{ id: "r", priority: 1, destination: { account: "backup", bucket: "another-backup" } }],
        });
      });
      expect(problemsOf(config)).toEqual([
        'replications[1].source.bucket: bucket "my-app-data-prod" is already the source in replications[0]: S3 keeps one replication configuration per bucket, so put all its rules in one entry',
      ]);
    });

    test("rejects two source buckets that give one stack name", () => {
      const config = configWith((c) => {
        c.replications[0].source.bucket = "logs.example";
        c.replications.push({
          source: { account: "source", bucket: "logs-example" },
          rules: [{ id: "r", priority: 1, destination: { account: "backup", bucket: "another-backup" } }],
        });
      });
      expect(problemsOf(config)).toEqual([
        'replications[1].source.bucket: bucket "logs-example" gives the same stack name as replications[0] (replication-logs-example): stack names replace dots with hyphens; use separate config files for these two buckets',
      ]);
    });

    test("accepts a destination bucket that two source buckets replicate into", () => {
      const config = configWith((c) => {
        c.replications.push({
          source: { account: "source", bucket: "my-app-logs-prod" },
          rules: [{ id: "r", priority: 1, destination: { account: "backup", bucket: "my-app-data-backup" } }],
        });
      });
      expect(modelOf(config).sharedDestinations.map((d) => d.stackName)).toEqual([
        "replication-destination-my-app-data-backup",
      ]);
    });

    test("accepts two-way replication with replica modification sync on both sides", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].replicaModifications = true;
        c.replications.push({
          source: { account: "backup", bucket: "my-app-data-backup" },
          rules: [
            {
              id: "back",
              priority: 1,
              replicaModifications: true,
              destination: { account: "source", bucket: "my-app-data-prod" },
            },
          ],
        });
      });
      expect(modelOf(config).replications.map((r) => r.dependsOnStacks)).toEqual([
        [],
        ["replication-my-app-data-prod"],
      ]);
    });

    test("rejects replica modification sync in one direction only", () => {
      const config = configWith((c) => {
        c.replications[0].rules[0].replicaModifications = true;
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].rules[0].replicaModifications: replica modification sync needs a rule from "my-app-data-backup" back to "my-app-data-prod" with replicaModifications: true as well: add it, or remove replicaModifications',
      ]);
    });

    test("rejects keeping Terraform state in a replicated bucket", () => {
      const config = configWith((c) => {
        c.backend = { type: "s3", bucket: "my-app-data-backup", region: "us-west-2" };
      });
      expect(problemsOf(config)).toEqual([
        'backend.bucket: "my-app-data-backup" also takes part in replication: keep Terraform state in a bucket of its own',
      ]);
    });
  });

  describe("destination bucket policies", () => {
    test("rejects a policy for a bucket no rule writes to", () => {
      const config = configWith((c) => {
        c.replications[0].destinationPolicies = { "other-bucket": { additionalStatements: [] } };
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].destinationPolicies["other-bucket"]: "other-bucket" is not the destination of any rule: use a destination bucket name (my-app-data-backup)',
      ]);
    });

    test("rejects an extra statement that reuses the replication grant's Sid", () => {
      const config = configWith((c) => {
        c.replications[0].destinationPolicies = {
          "my-app-data-backup": { additionalStatements: [{ Sid: "AllowReplicationFromSourceRole", Effect: "Allow" }] },
        };
      });
      expect(problemsOf(config)).toEqual([
        'replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Sid: Sid "AllowReplicationFromSourceRole" is one of the statements this project writes: choose another Sid',
      ]);
    });
  });

  test("reports every problem at once", () => {
    const config = configWith((c) => {
      c.accounts.source.accountId = "1";
      c.accounts.backup.region = "west";
      loose(c).replications[0].rules[0].typo = true;
    });
    expect(problemsOf(config)).toHaveLength(3);
  });
});
