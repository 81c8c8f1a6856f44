/**
 * Each test breaks the synthesized JSON the way a hand edit or a bug would, and asserts the exact
 * failure preflight reports: which request or check, and which help section explains it.
 */
import type { StackJson } from "../../lib/preflight/terraform-json";
import type { Json } from "../helpers/loose-json";
import { editPolicy, failures, mutate, preflightStacks, synthesizedStacks } from "../helpers/preflight";

const guide = synthesizedStacks("replication.config.json");
const kms = synthesizedStacks("examples/kms.json");
const twoWay = synthesizedStacks("examples/two-way.json");

const BUCKET_POLICY = "destination_my-app-data-backup";
const OBJECT = "arn:aws:s3:::my-app-data-backup/preflight/preflight-sample.txt";
const ROLE = "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole";

async function failed(stacks: StackJson[]) {
  return failures(await preflightStacks(stacks)).map((f) => ({
    check: f.check,
    resource: f.resource,
    detail: f.detail,
    help: f.help,
  }));
}

const bucketPolicy = (json: Json) => json.resource.aws_s3_bucket_policy[BUCKET_POLICY];
const rolePolicy = (json: Json) => json.resource.aws_iam_role_policy.replication;

describe("preflight catches", () => {
  test("a wrong role ARN in the destination bucket policy", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(bucketPolicy(json), (p) => {
        for (const s of p.Statement)
          s.Principal = { AWS: "arn:aws:iam::111122223333:role/S3CrossAccountReplicationRol" };
      }),
    );
    const denied = (check: string) => ({
      check,
      resource: OBJECT,
      detail: "ImplicitlyDenied",
      help: check.includes("OwnerOverride")
        ? "help/troubleshooting.md#replicated-objects-inaccessible-in-the-destination-account"
        : "help/troubleshooting.md#accessdenied-errors",
    });
    expect(await failed(stacks)).toEqual([
      denied("s3:ReplicateObject"),
      denied("s3:ReplicateDelete"),
      denied("s3:ReplicateTags"),
      denied("s3:ObjectOwnerOverrideToBucketOwner"),
    ]);
  });

  test("an action missing from the role policy", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(rolePolicy(json), (p) => {
        p.Statement[1].Action = p.Statement[1].Action.filter((a: string) => a !== "s3:GetObjectVersionTagging");
      }),
    );
    expect(await failed(stacks)).toEqual([
      {
        check: "s3:GetObjectVersionTagging",
        resource: "arn:aws:s3:::my-app-data-prod/preflight/preflight-sample.txt",
        detail: "ImplicitlyDenied",
        help: "help/troubleshooting.md#accessdenied-errors",
      },
    ]);
  });

  test("s3:ObjectOwnerOverrideToBucketOwner missing from the bucket policy", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(bucketPolicy(json), (p) => {
        p.Statement[0].Action = p.Statement[0].Action.filter(
          (a: string) => a !== "s3:ObjectOwnerOverrideToBucketOwner",
        );
      }),
    );
    expect(await failed(stacks)).toEqual([
      {
        check: "s3:ObjectOwnerOverrideToBucketOwner",
        resource: OBJECT,
        detail: "ImplicitlyDenied",
        help: "help/troubleshooting.md#replicated-objects-inaccessible-in-the-destination-account",
      },
    ]);
  });

  test("versioning Suspended on the destination", async () => {
    const stacks = mutate(guide, (json) => {
      json.resource.aws_s3_bucket_versioning[BUCKET_POLICY].versioning_configuration.status = "Suspended";
    });
    expect(await failed(stacks)).toEqual([
      {
        check: "versioning",
        resource: "arn:aws:s3:::my-app-data-backup",
        detail: "aws_s3_bucket_versioning.destination_my-app-data-backup sets status Suspended, not Enabled",
        help: "help/troubleshooting.md#versioning-must-be-enabled-error",
      },
    ]);
  });

  test("a replication configuration that does not wait for versioning", async () => {
    const stacks = mutate(guide, (json) => {
      const configuration = json.resource.aws_s3_bucket_replication_configuration.replication;
      configuration.depends_on = configuration.depends_on.filter(
        (d: string) => d !== "aws_s3_bucket_versioning.source",
      );
    });
    expect((await failed(stacks)).map((f) => [f.check, f.resource])).toEqual([
      ["versioning", "arn:aws:s3:::my-app-data-prod"],
    ]);
  });

  test("a stack that manages no versioning for a bucket and does not follow the stack that does", async () => {
    const stacks = twoWay.map((s) => (s.name === "replication-acme-shared-west" ? { ...s, dependencies: [] } : s));
    expect((await failed(stacks)).map((f) => [f.check, f.resource, f.help])).toEqual([
      ["versioning", "arn:aws:s3:::acme-shared-west", "help/troubleshooting.md#versioning-must-be-enabled-error"],
      ["versioning", "arn:aws:s3:::acme-shared-east", "help/troubleshooting.md#versioning-must-be-enabled-error"],
    ]);
  });

  test("a replica key policy that does not allow the role", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_kms_key["replica_acme-ledgers-archive"], (p) => {
        p.Statement = p.Statement.slice(0, 1);
      }),
    );
    expect((await failed(stacks)).map((f) => [f.check, f.resource, f.help])).toEqual([
      [
        "kms:Encrypt",
        "arn:aws:kms:us-west-2:444455556666:key/preflight-replica_acme-ledgers-archive",
        "help/troubleshooting.md#kms-permissions",
      ],
      [
        "kms:GenerateDataKey",
        "arn:aws:kms:us-west-2:444455556666:key/preflight-replica_acme-ledgers-archive",
        "help/troubleshooting.md#kms-permissions",
      ],
    ]);
  });

  test("a KMS decrypt scoped to another bucket's encryption context", async () => {
    const stacks = mutate(kms, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.replication_kms, (p) => {
        p.Statement[0].Condition.StringLike["kms:EncryptionContext:aws:s3:arn"] = "arn:aws:s3:::another-bucket/*";
      }),
    );
    expect((await failed(stacks)).map((f) => [f.check, f.help])).toEqual([
      ["kms:Decrypt", "help/troubleshooting.md#kms-permissions"],
      ["kms:Decrypt", "help/troubleshooting.md#kms-permissions"],
    ]);
  });

  test("SSE-KMS replication with no key the role may decrypt with", async () => {
    const stacks = mutate(kms, (json) => {
      delete json.resource.aws_iam_role_policy.replication_kms;
    });
    const found = await failed(stacks);
    expect(found.filter((f) => f.check === "kms:Decrypt")).toEqual([
      {
        check: "kms:Decrypt",
        resource: undefined,
        detail:
          "the rule replicates SSE-KMS objects, but no role policy allows kms:Decrypt via s3.us-east-1.amazonaws.com",
        help: "help/troubleshooting.md#kms-permissions",
      },
      {
        check: "kms:Decrypt",
        resource: undefined,
        detail:
          "the rule replicates SSE-KMS objects, but no role policy allows kms:Decrypt via s3.us-east-1.amazonaws.com",
        help: "help/troubleshooting.md#kms-permissions",
      },
    ]);
  });

  test("the destination bucket policy on the source account's provider", async () => {
    const stacks = mutate(guide, (json) => {
      bucketPolicy(json).provider = "aws.source";
    });
    expect(await failed(stacks)).toEqual([
      {
        check: "provider account",
        resource: "aws_s3_bucket_policy.destination_my-app-data-backup",
        detail:
          "on aws.source (111122223333), but it belongs to the destination account of rule CrossAccountReplicationRule (444455556666)",
        help: "help/troubleshooting.md#a-resource-sits-on-the-wrong-accounts-provider",
      },
    ]);
  });

  test("a trust policy S3 cannot use", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(
        json.resource.aws_iam_role.replication,
        (p) => {
          p.Statement[0].Principal = { Service: "batchoperations.s3.amazonaws.com" };
        },
        "assume_role_policy",
      ),
    );
    expect((await failed(stacks)).map((f) => [f.check, f.resource, f.help])).toEqual([
      ["sts:AssumeRole", ROLE, "help/troubleshooting.md#s3-cannot-assume-the-replication-role"],
    ]);
  });

  test("a replication configuration naming another role", async () => {
    const stacks = mutate(guide, (json) => {
      json.resource.aws_s3_bucket_replication_configuration.replication.role = `${ROLE}2`;
    });
    expect(await failed(stacks)).toEqual([
      {
        check: "replication role",
        resource: "aws_s3_bucket_replication_configuration.replication",
        detail: `names ${ROLE}2, but the stack's role is ${ROLE}`,
        help: "help/troubleshooting.md#the-replication-configuration-names-another-role",
      },
    ]);
  });

  test("a wildcard action and Resource * in the role policy", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(rolePolicy(json), (p) => {
        p.Statement.push({ Effect: "Allow", Action: "s3:Get*", Resource: "*" });
      }),
    );
    expect(await failed(stacks)).toEqual([
      {
        check: "least privilege",
        resource: "aws_iam_role_policy.replication",
        detail: "wildcard action s3:Get*; Resource *",
        help: "help/troubleshooting.md#wildcards-in-the-role-policy",
      },
    ]);
  });

  test("a provider that does not pin its account", async () => {
    const stacks = mutate(guide, (json) => {
      delete json.provider.aws[1].allowed_account_ids;
    });
    const found = await failed(stacks);
    expect(found.find((f) => f.check === "allowed_account_ids")).toEqual({
      check: "allowed_account_ids",
      resource: "provider aws.destination",
      detail: "allowed_account_ids is []: pin exactly one account",
      help: "help/troubleshooting.md#terraform-stops-with-aws-account-id-not-allowed",
    });
  });

  test("credentials written into the JSON", async () => {
    const stacks = mutate(guide, (json) => {
      json.provider.aws[0].access_key = "AKIAIOSFODNN7EXAMPLE";
    });
    expect(await failed(stacks)).toEqual([
      {
        check: "no credentials",
        resource: "cdk.tf.json",
        detail: "the JSON holds access_key and an access key id",
        help: "help/troubleshooting.md#credentials-in-the-synthesized-json",
      },
    ]);
  });

  test("an action name with the wrong case or spelling", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(bucketPolicy(json), (p) => {
        p.Statement[1].Action = ["s3:getBucketVersioning", "s3:GetBucketVersion"];
      }),
    );
    expect(await failed(stacks)).toEqual([
      {
        check: "action names",
        resource: "aws_s3_bucket_policy.destination_my-app-data-backup",
        detail:
          "s3:getBucketVersioning is spelled s3:GetBucketVersioning by AWS; s3:GetBucketVersion is not an action of the service",
        help: "help/troubleshooting.md#an-action-name-iam-does-not-know",
      },
    ]);
  });

  test("a Batch Replication role that may not start replication", async () => {
    const stacks = mutate(guide, (json) =>
      editPolicy(json.resource.aws_iam_role_policy.batch_replication, (p) => {
        p.Statement = p.Statement.slice(1);
      }),
    );
    expect(await failed(stacks)).toEqual([
      {
        check: "s3:InitiateReplication",
        resource: "arn:aws:s3:::my-app-data-prod/preflight/preflight-sample.txt",
        detail: "ImplicitlyDenied",
        help: "help/troubleshooting.md#a-batch-replication-job-fails",
      },
    ]);
  });

  describe("the destination's versioning", () => {
    const VERSIONING = "destination_my-app-data-backup";
    const versioningFailure = (detail: string) => [
      {
        check: "versioning",
        resource: "arn:aws:s3:::my-app-data-backup",
        detail,
        help: "help/troubleshooting.md#versioning-must-be-enabled-error",
      },
    ];

    test("managed by no stack", async () => {
      const stacks = mutate(guide, (json) => {
        delete json.resource.aws_s3_bucket_versioning[VERSIONING];
        const replication = json.resource.aws_s3_bucket_replication_configuration.replication;
        replication.depends_on = replication.depends_on.filter(
          (d: string) => d !== `aws_s3_bucket_versioning.${VERSIONING}`,
        );
      });
      expect(await failed(stacks)).toEqual(
        versioningFailure("no aws_s3_bucket_versioning for this bucket in any stack"),
      );
    });

    test("managed twice", async () => {
      const stacks = mutate(guide, (json) => {
        json.resource.aws_s3_bucket_versioning.again = structuredClone(
          json.resource.aws_s3_bucket_versioning[VERSIONING],
        );
      });
      expect(await failed(stacks)).toEqual(
        versioningFailure(
          "versioning is managed twice (replication-my-app-data-prod/aws_s3_bucket_versioning.destination_my-app-data-backup, replication-my-app-data-prod/aws_s3_bucket_versioning.again): destroying one suspends it",
        ),
      );
    });

    test.each([
      ["Suspended", "Suspended"],
      [undefined, "(none)"],
    ])("with status %s", async (status, shown) => {
      const stacks = mutate(guide, (json) => {
        json.resource.aws_s3_bucket_versioning[VERSIONING].versioning_configuration.status = status;
      });
      expect(await failed(stacks)).toEqual(
        versioningFailure(`aws_s3_bucket_versioning.destination_my-app-data-backup sets status ${shown}, not Enabled`),
      );
    });
  });

  test("a shared bucket policy granting two organizations: membership is not assumed, and the denial says so", async () => {
    const org = synthesizedStacks("examples/org-log-archive.json");
    const archive = "replication-destination-acme-central-log-archive";
    const stacks = mutate(
      org,
      (json) =>
        editPolicy(json.resource.aws_s3_bucket_policy["destination_acme-central-log-archive"], (p) => {
          p.Statement[1].Condition.StringEquals["aws:PrincipalOrgID"] = "o-otherorg123";
        }),
      archive,
    );
    const note = "policies grant several organizations (o-a1b2c3d4e5, o-otherorg123): membership not assumed";
    const writes = (await failed(stacks)).filter((f) => f.check.startsWith("s3:"));
    expect(writes.map((f) => `${f.check} ${f.resource}: ${f.detail}`)).toEqual([
      `s3:ReplicateObject arn:aws:s3:::acme-central-log-archive/AWSLogs/111122223333/preflight-sample.txt: ImplicitlyDenied; ${note}`,
      `s3:ReplicateTags arn:aws:s3:::acme-central-log-archive/AWSLogs/111122223333/preflight-sample.txt: ImplicitlyDenied; ${note}`,
      `s3:ReplicateObject arn:aws:s3:::acme-central-log-archive/AWSLogs/222233334444/preflight-sample.txt: ImplicitlyDenied; ${note}`,
      `s3:ReplicateTags arn:aws:s3:::acme-central-log-archive/AWSLogs/222233334444/preflight-sample.txt: ImplicitlyDenied; ${note}`,
    ]);
  });

  test("nothing in a correct stack (the mutants above are the only failures)", async () => {
    expect(await failed(guide)).toEqual([]);
  });
});
