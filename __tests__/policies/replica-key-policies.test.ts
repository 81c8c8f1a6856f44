/**
 * A replica key policy that allows the replication role (or, in organization mode, any matching
 * role) to encrypt through S3 would let it encrypt for any bucket in the key's Region. Each key
 * policy carries kms:EncryptionContext:aws:s3:arn, as the role's KMS policy does: the objects the
 * rules replicate into the bucket (or the bucket itself, with S3 Bucket Keys).
 */
import { configWith, exampleConfig, policyAt, synthStack } from "../helpers/config";
import { stacksOf } from "../helpers/synth-run";

const EXISTING_KEY = "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d";
const ARCHIVE_STACK = "replication-destination-acme-central-log-archive";
const ARCHIVE_KEY = "aws_kms_key.replica_acme-central-log-archive";

describe("replica key policies", () => {
  // Synthesized in each test that reads it, not once for the describe block: StrykerJS then sees
  // which test reaches which line of the policies (npm run test:mutation).
  const kms = () => synthStack(exampleConfig("kms")).json;

  test("a key the stack creates: only the rule's prefix in its bucket", () => {
    expect(policyAt(kms(), "aws_kms_key.replica_acme-ledgers-archive").Statement[1].Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-ledgers-archive/ledgers/*" },
    });
  });

  test("the statement printed for an existing key: its bucket's objects, and the bucket with S3 Bucket Keys", () => {
    const statements = kms().output.replica_key_policy_statements.value as Record<string, string>;
    expect(JSON.parse(statements[EXISTING_KEY])).toEqual({
      Sid: "AllowS3ReplicationRoleToEncryptReplicas",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod" },
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": [
            "arn:aws:s3:::acme-payments-backup/*",
            "arn:aws:s3:::acme-payments-backup",
          ],
        },
      },
    });
  });

  test("an existing key two destinations share: the printed statement covers both buckets", () => {
    const { json } = synthStack(
      configWith((c) => {
        c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/source"];
        const destination = (bucket: string) => ({
          account: "backup",
          bucket,
          replicaKms: { keyArn: "arn:aws:kms:us-west-2:444455556666:key/shared" },
        });
        c.replications[0].rules = [
          {
            id: "a",
            priority: 1,
            replicateSseKms: true,
            filter: { prefix: "a/" },
            destination: destination("bucket-a"),
          },
          { id: "b", priority: 2, replicateSseKms: true, destination: destination("bucket-b") },
        ];
      }),
    );
    const statements = json.output.replica_key_policy_statements.value as Record<string, string>;
    expect(JSON.parse(statements["arn:aws:kms:us-west-2:444455556666:key/shared"]).Condition.StringLike).toEqual({
      "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::bucket-a/a/*", "arn:aws:s3:::bucket-b/*"],
    });
  });

  test("two existing keys of one replication: each printed statement covers only its own bucket", () => {
    const { json } = synthStack(
      configWith((c) => {
        c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/source"];
        const destination = (bucket: string, key: string) => ({
          account: "backup",
          bucket,
          replicaKms: { keyArn: `arn:aws:kms:us-west-2:444455556666:key/${key}` },
        });
        c.replications[0].rules = [
          {
            id: "a",
            priority: 1,
            replicateSseKms: true,
            filter: { prefix: "a/" },
            destination: destination("bucket-a", "key-a"),
          },
          { id: "b", priority: 2, replicateSseKms: true, destination: destination("bucket-b", "key-b") },
        ];
      }),
    );
    const statements = json.output.replica_key_policy_statements.value as Record<string, string>;
    const contexts = (key: string) =>
      JSON.parse(statements[`arn:aws:kms:us-west-2:444455556666:key/${key}`]).Condition.StringLike;
    expect(contexts("key-a")).toEqual({ "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::bucket-a/a/*" });
    expect(contexts("key-b")).toEqual({ "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::bucket-b/*" });
  });

  test("a shared destination's key: the prefixes of the sources' SSE-KMS rules", () => {
    const key = policyAt(stacksOf("examples/central-log-archive.json")[ARCHIVE_STACK], ARCHIVE_KEY);
    expect(key.Statement[1].Condition?.StringLike).toEqual({
      "kms:EncryptionContext:aws:s3:arn": [
        "arn:aws:s3:::acme-central-log-archive/logs/111122223333/*",
        "arn:aws:s3:::acme-central-log-archive/logs/222233334444/*",
        "arn:aws:s3:::acme-central-log-archive/logs/333344445555/*",
      ],
    });
  });

  test("organization mode: each member account's own part of the bucket", () => {
    const key = policyAt(stacksOf("examples/org-log-archive.json")[ARCHIVE_STACK], ARCHIVE_KEY);
    expect(key.Statement[1].Condition?.StringLike).toEqual({
      "aws:PrincipalArn": "arn:aws:iam::*:role/s3-replication-*",
      // Terraform reads `$${` as a literal `${`: KMS receives the aws:PrincipalAccount policy variable.
      "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-central-log-archive/AWSLogs/$${aws:PrincipalAccount}/*",
    });
  });

  test("a role policy naming a shared destination's key through key/* is narrowed to the key with its alias", () => {
    const source = stacksOf("examples/central-log-archive.json")["replication-acme-payments-logs"];
    const encrypt = policyAt(source, "aws_iam_role_policy.replication_kms").Statement[1];
    expect(encrypt).toEqual({
      Sid: "EncryptReplicas1",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "arn:aws:kms:us-east-1:999988887777:key/*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-central-log-archive/logs/111122223333/*" },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/central-log-archive-replicas" },
      },
    });
  });
});
