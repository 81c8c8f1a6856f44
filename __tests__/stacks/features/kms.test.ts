import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { configWith, exampleConfig, policyAt, resourceAt, synthStack } from "../../helpers/config";

const SOURCE_KEY = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-1111-4e5f-8a9b-0c1d2e3f4a5b";
const EXISTING_KEY = "arn:aws:kms:us-west-2:444455556666:key/9f8e7d6c-2222-4b3a-9c8d-7e6f5a4b3c2d";
const ROLE = "arn:aws:iam::111122223333:role/s3-replication-acme-payments-prod";

describe("SSE-KMS replication (examples/kms.json)", () => {
  const { text, json } = synthStack(exampleConfig("kms"));
  const rules = resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<
    Record<string, any>
  >;
  const kms = policyAt(json, "aws_iam_role_policy.replication_kms");

  test("opts every KMS rule into SSE-KMS objects and names its replica key", () => {
    expect(rules.map((r) => r.source_selection_criteria)).toEqual([
      { sse_kms_encrypted_objects: { status: "Enabled" } },
      { sse_kms_encrypted_objects: { status: "Enabled" } },
    ]);
    expect(rules[0].destination.encryption_configuration).toEqual({ replica_kms_key_id: EXISTING_KEY });
    expect(rules[1].destination.encryption_configuration).toEqual({
      replica_kms_key_id: "${aws_kms_key.replica_acme-ledgers-archive.arn}",
    });
  });

  test("keeps KMS permissions in their own inline policy, so the main one stays literal", () => {
    expect(text).toHaveResourceWithProperties(IamRolePolicy, {
      name: "S3ReplicationKmsPolicy",
      role: "s3-replication-acme-payments-prod",
      provider: "aws.source",
    });
    expect(resourceAt(json, "aws_iam_role_policy.replication").policy).not.toContain("kms:");
  });

  test("decrypts with the source key only through S3 in its Region, for this bucket (object or Bucket Key context)", () => {
    expect(kms.Statement[0]).toEqual({
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: SOURCE_KEY,
      Condition: {
        StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-payments-prod/*", "arn:aws:s3:::acme-payments-prod"],
        },
      },
    });
  });

  test("encrypts replicas with each replica key, scoped to the destination's Region and objects", () => {
    expect(kms.Statement[1]).toEqual({
      Sid: "EncryptReplicas1",
      Effect: "Allow",
      // With S3 Bucket Keys on the destination, S3 also decrypts with the replica key.
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: EXISTING_KEY,
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
    expect(kms.Statement[2]).toMatchObject({
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "${aws_kms_key.replica_acme-ledgers-archive.arn}",
      Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-ledgers-archive/ledgers/*" } },
    });
  });

  test("creates the replica key in the destination account: rotated, kept on destroy, with an alias", () => {
    expect(text).toHaveResourceWithProperties(KmsKey, {
      provider: "aws.destination",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
      depends_on: ["aws_iam_role.replication"],
    });
    expect(text).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/acme-ledgers-replicas",
      target_key_id: "${aws_kms_key.replica_acme-ledgers-archive.key_id}",
      provider: "aws.destination",
    });
  });

  test("gives the created key a policy that lets the role encrypt replicas through S3", () => {
    const policy = policyAt(json, "aws_kms_key.replica_acme-ledgers-archive");
    expect(policy.Statement).toEqual([
      {
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::444455556666:root" },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AllowS3ReplicationRoleToEncryptReplicas",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
          // Only for the objects the rule replicates into this bucket, as the role policy says.
          StringLike: { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-ledgers-archive/ledgers/*" },
        },
      },
    ]);
  });

  test("outputs the statement the owner of an existing key must add", () => {
    const statements = json.output.replica_key_policy_statements.value as Record<string, string>;
    expect(Object.keys(statements)).toEqual([EXISTING_KEY]);
    expect(JSON.parse(statements[EXISTING_KEY])).toMatchObject({
      Principal: { AWS: ROLE },
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
    });
  });

  test("waits for the KMS policy and the created key before replicating", () => {
    expect(resourceAt(json, "aws_s3_bucket_replication_configuration.replication").depends_on).toEqual(
      expect.arrayContaining(["aws_iam_role_policy.replication_kms", "aws_kms_key.replica_acme-ledgers-archive"]),
    );
  });

  test("names the default alias after the destination bucket", () => {
    const config = configWith((c) => {
      c.replications[0].source.sseKmsKeyArns = ["arn:aws:kms:us-east-1:111122223333:key/abc"];
      c.replications[0].rules[0].replicateSseKms = true;
      c.replications[0].rules[0].destination.replicaKms = { create: true };
    });
    expect(synthStack(config).text).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/s3-replica-my-app-data-backup",
    });
  });

  test("adds no KMS policy when no rule replicates SSE-KMS objects", () => {
    expect(synthStack(exampleConfig("fan-out")).json.resource.aws_iam_role_policy).not.toHaveProperty(
      "replication_kms",
    );
  });
});
