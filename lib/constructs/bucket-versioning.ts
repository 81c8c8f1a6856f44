import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { Construct } from "constructs";

/**
 * Versioning Enabled on an existing bucket: replication needs it on both sides. Removing this
 * resource suspends versioning; a bucket never goes back to unversioned.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
 */
export function bucketVersioning(
  scope: Construct,
  address: string,
  bucket: string,
  provider: AwsProvider,
): S3BucketVersioningA {
  const versioning = new S3BucketVersioningA(scope, `versioning_${address}`, {
    provider,
    bucket,
    versioningConfiguration: { status: "Enabled" },
  });
  versioning.overrideLogicalId(address);
  return versioning;
}
