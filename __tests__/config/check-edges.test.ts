/**
 * Cross-field checks on inputs the other config suites do not write: a permissions boundary in
 * another partition, a created destination's reserved TLS-only Sid, free-form statements with
 * non-string values, a state role in the bootstrap account, rule filters whose tags are
 * written in another order, the state bucket as a source, object ownership that may stay,
 * organization prefixes deeper than a member's part, replica modification sync with several
 * rules back, and stack names near the reserved ones. Found by `npm run test:mutation` (each
 * changed line survived); the shared destinations' are in shared-destinations.test.ts.
 */
import type { ConfigInput } from "../../lib/config/schema";
import { configWith, exampleConfig, modelOf, problemsOf } from "../helpers/config";

const accepted = (config: ConfigInput) => expect(() => modelOf(config)).not.toThrow();

describe("a permissions boundary", () => {
  test("in another partition than the source bucket's Region is refused, naming the partition to write", () => {
    const config = configWith((c) => {
      c.replications[0].role = { permissionsBoundary: "arn:aws-cn:iam::111122223333:policy/boundary" };
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].role.permissionsBoundary: is an ARN in partition "aws-cn", but the source bucket\'s Region us-east-1 is in "aws": write arn:aws:...',
    ]);
  });

  test("in the source bucket's partition is accepted", () => {
    accepted(
      configWith((c) => {
        c.replications[0].role = { permissionsBoundary: "arn:aws:iam::111122223333:policy/boundary" };
      }),
    );
  });
});

describe("extra statements on a destination bucket policy", () => {
  test("on a bucket the stack creates may not reuse the TLS-only statement's Sid", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].destination.create = true;
      c.replications[0].destinationPolicies = {
        "my-app-data-backup": { additionalStatements: [{ Sid: "DenyInsecureTransport", Effect: "Deny" }] },
      };
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Sid: Sid "DenyInsecureTransport" is one of the statements this project writes: choose another Sid',
    ]);
  });

  test("on a bucket the stack does not create may use it", () => {
    accepted(
      configWith((c) => {
        c.replications[0].destinationPolicies = {
          "my-app-data-backup": {
            additionalStatements: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: "arn:aws:s3:::my-app-data-backup/*",
                // Booleans and numbers are no ARNs: the partition check passes over them.
                Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:TlsVersion": 1.2 } },
              },
            ],
          },
        };
      }),
    );
  });

  test("with a null value do not stop the checks (IAM, not the config, refuses that grammar)", () => {
    accepted(
      configWith((c) => {
        c.replications[0].destinationPolicies = {
          "my-app-data-backup": { additionalStatements: [{ Sid: "Kept", Effect: "Deny", Condition: null }] },
        };
      }),
    );
  });

  test("a bucket no rule writes to is refused, naming every destination of the source", () => {
    const config = configWith((c) => {
      c.replications[0].rules.push({
        id: "second",
        priority: 2,
        deleteMarkerReplication: false,
        filter: { prefix: "b/" },
        destination: { account: "backup", bucket: "my-app-data-second" },
      });
      c.replications[0].destinationPolicies = { "other-bucket": { additionalStatements: [] } };
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].destinationPolicies["other-bucket"]: "other-bucket" is not the destination of any rule: use a destination bucket name (my-app-data-backup, my-app-data-second)',
    ]);
  });
});

describe("the state backend's role", () => {
  const withBootstrapRole = (roleArn: string) =>
    configWith((c) => {
      c.backend = { type: "s3", bucket: "my-terraform-state", region: "us-east-1", bootstrap: { account: "source" } };
      c.backend.credentials = { roleArn };
    });

  test("in the bootstrap account is accepted", () => {
    accepted(withBootstrapRole("arn:aws:iam::111122223333:role/state"));
  });

  test("in another account is refused, naming both accounts", () => {
    expect(problemsOf(withBootstrapRole("arn:aws:iam::444455556666:role/state"))).toEqual([
      "backend.credentials.roleArn: the role is in account 444455556666, not 111122223333 (the state bucket's account, source): name a role in that account",
    ]);
  });
});

describe("two rules with the same filter and destination", () => {
  test("are found whatever order their tags are written in", () => {
    const config = configWith((c) => {
      c.replications[0].rules = [
        {
          id: "first",
          priority: 1,
          deleteMarkerReplication: false,
          filter: { prefix: "p/", tags: { b: "2", a: "1", c: "3" } },
          destination: { account: "backup", bucket: "my-app-data-backup" },
        },
        {
          id: "second",
          priority: 2,
          deleteMarkerReplication: false,
          filter: { prefix: "p/", tags: { c: "3", a: "1", b: "2" } },
          destination: { account: "backup", bucket: "my-app-data-backup" },
        },
      ];
    });
    expect(problemsOf(config)).toEqual([
      "replications[0].rules[1].filter: rules[0] has the same filter and destination, so only the higher priority of the two ever applies: merge them or change a filter",
    ]);
  });
});

describe("an unknown account", () => {
  test("as a replication's source is named at its path, with the names to use", () => {
    expect(
      problemsOf(
        configWith((c) => {
          c.replications[0].source.account = "prod";
        }),
      ),
    ).toEqual([
      'replications[0].source.account: unknown account "prod": use one of the names under "accounts" (source, backup)',
    ]);
  });
});

describe("an ARN in an extra statement", () => {
  test("cut short is in no partition, and says so", () => {
    const config = configWith((c) => {
      c.replications[0].destinationPolicies = {
        "my-app-data-backup": {
          additionalStatements: [{ Sid: "Kept", Effect: "Deny", Resource: ["arn:", "arn:aws-cn"] }],
        },
      };
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Resource[0]: is an ARN in partition "", but the source bucket\'s Region us-east-1 is in "aws": write arn:aws:...',
      'replications[0].destinationPolicies["my-app-data-backup"].additionalStatements[0].Resource[1]: is an ARN in partition "aws-cn", but the source bucket\'s Region us-east-1 is in "aws": write arn:aws:...',
    ]);
  });
});

describe("a source role an organization's shared bucket would refuse", () => {
  test("is named even when its account is unknown, without an account id to guess", () => {
    const config = exampleConfig("org-log-archive");
    config.replications[1].source.account = "searches";
    config.replications[1].role = { name: "other-role" };
    expect(problemsOf(config)).toEqual([
      'replications[1].source.account: unknown account "searches": use one of the names under "accounts" (log-archive, payments, search)',
      'replications[1].role: the role arn:aws:iam:::role/other-role does not match sharedDestinations["acme-central-log-archive"].organization.roleNamePattern (s3-replication-*), so the shared bucket would refuse its replicas: rename the role or widen the pattern',
    ]);
  });
});

describe("an ARN that names its own Region", () => {
  test("as a rule's replica key, in another partition than that Region's, is refused at the key's path", () => {
    const config = exampleConfig("kms");
    const destination = config.replications[0].rules[0].destination;
    destination.replicaKms = {
      keyArn: "arn:aws-cn:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d",
    };
    expect(problemsOf(config)).toEqual([
      'replications[0].rules[0].destination.replicaKms.keyArn: is an ARN in partition "aws-cn", but its Region us-west-2 is in "aws": write arn:aws:...',
    ]);
  });

  test("as the monitoring topic, in another partition than that Region's, is refused at the topic's path", () => {
    const config = exampleConfig("rtc-monitoring");
    config.replications[0].monitoring = { snsTopicArn: "arn:aws-cn:sns:us-east-1:111122223333:replication-alerts" };
    expect(problemsOf(config)).toEqual([
      'replications[0].monitoring.snsTopicArn: is an ARN in partition "aws-cn", but its Region us-east-1 is in "aws": write arn:aws:...',
    ]);
  });
});

describe("the state bucket", () => {
  test("as the destination of one rule among several is refused", () => {
    const config = exampleConfig("fan-out");
    if (config.backend.type !== "s3") throw new Error("fan-out keeps its state in S3");
    config.backend.bucket = "acme-events-backup-eu";
    expect(problemsOf(config)).toEqual([
      'backend.bucket: "acme-events-backup-eu" also takes part in replication: keep Terraform state in a bucket of its own',
    ]);
  });
});

describe("a destination bucket policy's bucket name", () => {
  test("that is no valid S3 bucket name is refused at its key", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].destination.bucket = "Backup_Bucket";
      c.replications[0].destinationPolicies = { Backup_Bucket: { additionalStatements: [] } };
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].rules[0].destination.bucket: "Backup_Bucket" is not a valid S3 bucket name: it may hold only lowercase letters, digits, dots (.) and hyphens (-)',
      'replications[0].destinationPolicies.Backup_Bucket: "Backup_Bucket" is not a valid S3 bucket name: it may hold only lowercase letters, digits, dots (.) and hyphens (-)',
    ]);
  });
});

describe("the state bucket as a source bucket", () => {
  test("is refused", () => {
    const config = configWith((c) => {
      if (c.backend.type === "s3") c.backend.bucket = "my-app-data-prod";
    });
    expect(problemsOf(config)).toEqual([
      'backend.bucket: "my-app-data-prod" also takes part in replication: keep Terraform state in a bucket of its own',
    ]);
  });
});

describe("an account's role in another partition", () => {
  test("is refused, naming the account's Region", () => {
    const config = configWith((c) => {
      c.accounts.source.credentials = { roleArn: "arn:aws-cn:iam::111122223333:role/deployer" };
    });
    expect(problemsOf(config)).toEqual([
      'accounts.source.credentials.roleArn: is an ARN in partition "aws-cn", but the account\'s Region us-east-1 is in "aws": write arn:aws:...',
    ]);
  });
});

describe("an unknown source account with a destination in another partition", () => {
  test("is reported once, as unknown: without its Region there is no partition to compare", () => {
    const config = configWith((c) => {
      c.replications[0].source.account = "prod";
      c.accounts.backup.region = "cn-north-1";
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].source.account: unknown account "prod": use one of the names under "accounts" (source, backup)',
    ]);
  });
});

describe("object ownership", () => {
  test("a created bucket may say BucketOwnerEnforced, which it is anyway", () => {
    accepted(
      configWith((c) => {
        c.replications[0].rules[0].destination.create = true;
        c.replications[0].rules[0].destination.objectOwnership = "BucketOwnerEnforced";
      }),
    );
  });

  test("replicas may keep the source owner in an existing bucket that is not BucketOwnerEnforced", () => {
    accepted(
      configWith((c) => {
        c.replications[0].rules[0].replicaOwner = "source";
      }),
    );
    accepted(
      configWith((c) => {
        c.replications[0].rules[0].destination.objectOwnership = "BucketOwnerPreferred";
        c.replications[0].rules[0].replicaOwner = "source";
      }),
    );
  });
});

describe("source keys", () => {
  test("are accepted when one rule of several replicates SSE-KMS objects", () => {
    const config = exampleConfig("kms");
    const second = config.replications[0].rules[1];
    second.replicateSseKms = false;
    delete second.destination.replicaKms;
    accepted(config);
  });
});

describe("an organization member's prefix", () => {
  test("may go deeper than its own part of the shared bucket", () => {
    const config = exampleConfig("org-log-archive");
    config.replications[0].rules[0].filter = { prefix: "AWSLogs/111122223333/elasticloadbalancing/" };
    accepted(config);
  });
});

describe("a rule without a prefix", () => {
  test("has the same filter as one with an empty prefix", () => {
    const config = configWith((c) => {
      c.replications[0].rules[0].filter = { prefix: "" };
      c.replications[0].rules.push({
        id: "second",
        priority: 2,
        deleteMarkerReplication: true,
        destination: { account: "backup", bucket: "my-app-data-backup" },
      });
    });
    expect(problemsOf(config)).toEqual([
      "replications[0].rules[1].filter: rules[0] has the same filter and destination, so only the higher priority of the two ever applies: merge them or change a filter",
    ]);
  });
});

describe("replica modification sync", () => {
  /** A second rule of the west bucket, to a bucket that is not the east one. */
  const elsewhere = (replicaModifications?: boolean) => ({
    id: "west-to-elsewhere",
    priority: 2,
    deleteMarkerReplication: false,
    ...(replicaModifications === undefined ? {} : { replicaModifications }),
    filter: { prefix: "other/" },
    destination: { account: "backup", bucket: "acme-shared-elsewhere" },
  });
  const needsBack =
    'replications[0].rules[0].replicaModifications: replica modification sync needs a rule from "acme-shared-west" back to "acme-shared-east" with replicaModifications: true as well: add it, or remove replicaModifications';

  test("is refused when the rule back does not ask for it", () => {
    const config = exampleConfig("two-way");
    config.replications[1].rules[0].replicaModifications = false;
    expect(problemsOf(config)).toEqual([needsBack]);
  });

  test("is refused when only a rule back to another bucket asks for it", () => {
    const config = exampleConfig("two-way");
    const back = config.replications[1];
    back.rules[0].replicaModifications = false;
    back.rules.push(elsewhere(true));
    expect(problemsOf(config)).toEqual([
      needsBack,
      'replications[1].rules[1].replicaModifications: replica modification sync needs a rule from "acme-shared-elsewhere" back to "acme-shared-west" with replicaModifications: true as well: add it, or remove replicaModifications',
    ]);
  });

  test("is accepted when one of several rules back asks for it", () => {
    const config = exampleConfig("two-way");
    config.replications[1].rules.push(elsewhere());
    accepted(config);
  });
});

describe("a source bucket named state-bootstrap", () => {
  test("is accepted when the state bucket has no bootstrap stack", () => {
    accepted(
      configWith((c) => {
        c.replications[0].source.bucket = "state-bootstrap";
      }),
    );
  });
});

describe("a bucket whose per-bucket stack has a layout stack's name", () => {
  const copyFrom = (bucket: string): ConfigInput["replications"][number] => ({
    source: { account: "source", bucket },
    rules: [
      {
        id: "copy",
        priority: 1,
        deleteMarkerReplication: false,
        destination: { account: "backup", bucket: `${bucket}-backup` },
      },
    ],
  });

  test("is reported once, however many replications share that stack", () => {
    const config = configWith((c) => {
      c.stackLayout = "single";
      c.replications.push(copyFrom("all"), copyFrom("my-app-logs-prod"));
    });
    expect(problemsOf(config)).toEqual([
      'replications[1].source.bucket: bucket "all" gives the per-bucket stack name replication-all, which the single layout gives one of its stacks: a move between layouts would find that stack\'s state under this name; choose another stackLayout, or use a separate config file for this bucket',
    ]);
  });

  test("is reported once, as reserved, when a replication names that stack itself", () => {
    const config = configWith((c) => {
      c.replications[0].stack = "all";
      c.replications.push(copyFrom("all"));
    });
    expect(problemsOf(config)).toEqual([
      'replications[0].stack: "all" would name the stack replication-all, and names starting with "account-" or "destination-", "all" and "state-bootstrap" belong to the stacks the layouts make: choose another name, or leave stack out to use the layout\'s stack',
    ]);
  });
});
