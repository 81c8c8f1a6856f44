/**
 * Whether a bucket the config creates is already there, asked with the account's own credentials
 * before a plan is saved. CreateBucket of a bucket you already own answers 200 in us-east-1 ("for
 * legacy compatibility"), so Terraform would take the bucket over and write its policy,
 * versioning and replication without the existing-bucket check ever reading them.
 * HeadBucket answers 200 for a bucket these credentials may read, 403 for one that exists but
 * they may not (another account's, or no s3:ListBucket), 404 for a name nobody holds, and 301
 * for a bucket in another Region. It is authorized by s3:ListBucket on the bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html (BucketAlreadyOwnedByYou)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";

export type BucketPresence = "absent" | "readable" | "not readable";

export async function bucketPresence(s3: S3Client, bucket: string): Promise<BucketPresence> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return "readable";
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as Error).name;
    if (status === 404 || name === "NotFound" || name === "NoSuchBucket") return "absent";
    if (status === 403 || name === "Forbidden" || status === 301 || name === "PermanentRedirect") return "not readable";
    throw error;
  }
}
