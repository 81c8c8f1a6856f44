import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Testing } from "cdktf";
import { StateBootstrapStack } from "../../../stacks/state-bootstrap-stack";
import {
  addresses,
  configWith,
  exampleConfig,
  modelOf,
  policyAt,
  resourceAt,
  synthStack,
  type TerraformJson,
} from "../../helpers/config";

const TLS_ONLY = (bucket: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

describe("buckets the stack creates (examples/new-buckets.json)", () => {
  const { text, json } = synthStack(exampleConfig("new-buckets"));

  test("creates both buckets, kept on destroy and never emptied by Terraform", () => {
    for (const [address, bucket, provider] of [
      ["source", "acme-new-app-data", "aws.source"],
      ["destination_acme-new-app-data-replica", "acme-new-app-data-replica", "aws.destination"],
    ]) {
      expect(resourceAt(json, `aws_s3_bucket.${address}`)).toMatchObject({
        bucket,
        provider,
        force_destroy: false,
        lifecycle: { prevent_destroy: true },
      });
    }
  });

  test("blocks public access, disables ACLs and encrypts by default", () => {
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: "acme-new-app-data-replica",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: "acme-new-app-data",
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: "acme-new-app-data",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  test("enables versioning only once the bucket exists", () => {
    expect(resourceAt(json, "aws_s3_bucket_versioning.source").depends_on).toEqual(["aws_s3_bucket.source"]);
  });

  test("adds TLS-only access to the destination's replication policy", () => {
    const policy = policyAt(json, "aws_s3_bucket_policy.destination_acme-new-app-data-replica");
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "AllowReplicationFromSourceRole",
      "AllowReplicationVersioningCheck",
      "DenyInsecureTransport",
    ]);
    expect(policy.Statement[2]).toEqual(TLS_ONLY("acme-new-app-data-replica"));
  });

  test("gives the created source bucket a TLS-only policy of its own", () => {
    expect(policyAt(json, "aws_s3_bucket_policy.source").Statement).toEqual([TLS_ONLY("acme-new-app-data")]);
  });

  test("drops owner override: a created destination is BucketOwnerEnforced and owns replicas", () => {
    const [rule] = resourceAt(json, "aws_s3_bucket_replication_configuration.replication").rule as Array<
      Record<string, any>
    >;
    expect(rule.destination).not.toHaveProperty("access_control_translation");
    expect(resourceAt(json, "aws_iam_role_policy.replication").policy).not.toContain("ObjectOwnerOverride");
  });

  test("creates a bucket with Object Lock when asked", () => {
    const config = configWith((c) => {
      c.replications[0].source = { ...c.replications[0].source, create: true, objectLock: true };
      c.replications[0].rules[0].destination.objectLock = true;
    });
    expect(synthStack(config).text).toHaveResourceWithProperties(S3Bucket, {
      bucket: "my-app-data-prod",
      object_lock_enabled: true,
    });
  });

  test("creates nothing for existing buckets", () => {
    expect(addresses(synthStack(configWith(() => {})).json).filter((a) => a.startsWith("aws_s3_bucket."))).toEqual([]);
  });
});

describe("state bootstrap stack", () => {
  const model = modelOf(exampleConfig("new-buckets"));
  const bootstrap = model.stateBootstrap;
  const stack = (): TerraformJson => {
    if (!bootstrap) throw new Error("expected a bootstrap stack");
    return JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), bootstrap, model)));
  };

  test("is synthesized when the backend asks for it, on a local backend", () => {
    expect(bootstrap?.stackName).toBe("replication-state-bootstrap");
    expect(stack().terraform.backend).toEqual({
      local: { path: "../../../terraform.replication-state-bootstrap.tfstate" },
    });
  });

  test("creates a versioned, encrypted, private, TLS-only state bucket in the named account", () => {
    const json = stack();
    expect(json.provider.aws).toEqual([
      expect.objectContaining({ alias: "state", region: "us-east-1", allowed_account_ids: ["111122223333"] }),
    ]);
    expect(addresses(json).sort()).toEqual([
      "aws_s3_bucket.state",
      "aws_s3_bucket_ownership_controls.state",
      "aws_s3_bucket_policy.state",
      "aws_s3_bucket_public_access_block.state",
      "aws_s3_bucket_server_side_encryption_configuration.state",
      "aws_s3_bucket_versioning.state",
    ]);
    expect(resourceAt(json, "aws_s3_bucket.state")).toMatchObject({
      bucket: "acme-replication-state-111122223333",
      lifecycle: { prevent_destroy: true },
    });
    expect(policyAt(json, "aws_s3_bucket_policy.state").Statement).toEqual([
      TLS_ONLY("acme-replication-state-111122223333"),
    ]);
  });

  test("is absent without backend.bootstrap", () => {
    expect(modelOf(configWith(() => {})).stateBootstrap).toBeUndefined();
  });
});
