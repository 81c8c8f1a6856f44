import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import type { BucketLocation } from "../config/model";
import { toJson } from "../policies/policy-document";
import { tlsOnlyPolicy } from "../policies/tls-only";
import { bucketVersioning } from "./bucket-versioning";
import { dependsOn } from "./terraform-address";

export interface ManagedBucketProps {
  /** The Terraform name shared by this bucket's resources, e.g. `source` or `destination_<bucket>`. */
  readonly address: string;
  readonly location: Pick<BucketLocation, "bucket" | "partition" | "arn" | "create" | "objectLock">;
  readonly provider: AwsProvider;
  /** Write a TLS-only bucket policy (a created bucket that no replication bucket policy covers). */
  readonly ownPolicy: boolean;
}

export interface ManagedBucketResources {
  readonly versioning: TerraformResource;
  /** The bucket's creation and settings, when the stack creates it: what its policies must follow. */
  readonly created: readonly TerraformResource[];
}

function named<T extends TerraformResource>(resource: T, address: string): T {
  resource.overrideLogicalId(address);
  return resource;
}

/**
 * Versioning on a bucket, and, for a bucket the stack creates: the bucket itself (kept on destroy),
 * public access blocked, ACLs disabled (BucketOwnerEnforced), SSE-S3 default encryption and, where
 * no replication policy covers it, a TLS-only bucket policy.
 */
export function managedBucket(scope: Construct, props: ManagedBucketProps): ManagedBucketResources {
  const { address, location, provider } = props;
  if (!location.create) {
    return { versioning: bucketVersioning(scope, address, location.bucket, provider), created: [] };
  }
  const bucket = named(
    new S3Bucket(scope, `bucket_${address}`, {
      provider,
      bucket: location.bucket,
      objectLockEnabled: location.objectLock || undefined,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    }),
    address,
  );
  const settings: TerraformResource[] = [
    named(
      new S3BucketPublicAccessBlock(scope, `public_access_${address}`, {
        provider,
        bucket: location.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
      address,
    ),
    named(
      new S3BucketOwnershipControls(scope, `ownership_${address}`, {
        provider,
        bucket: location.bucket,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      }),
      address,
    ),
    named(
      new S3BucketServerSideEncryptionConfigurationA(scope, `encryption_${address}`, {
        provider,
        bucket: location.bucket,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      }),
      address,
    ),
  ];
  for (const resource of settings) dependsOn(resource, [bucket]);
  const versioning = bucketVersioning(scope, address, location.bucket, provider);
  dependsOn(versioning, [bucket]);
  if (props.ownPolicy) {
    const policy = named(
      new S3BucketPolicy(scope, `policy_${address}`, {
        provider,
        bucket: location.bucket,
        policy: toJson(tlsOnlyPolicy(location)),
      }),
      address,
    );
    dependsOn(policy, [bucket]);
  }
  return { versioning, created: [bucket, ...settings] };
}
