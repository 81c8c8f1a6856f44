import { objectsArn } from "../arn";
import type { BucketLocation } from "../config/model";
import { TLS_ONLY_SID } from "../naming";
import { type PolicyDocument, policyDocument, type Statement } from "./policy-document";

/**
 * Denies every request to the bucket that does not use TLS. Written on the buckets this project
 * creates (and the state bucket); S3 replication itself uses TLS.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function tlsOnlyStatement(bucket: Pick<BucketLocation, "partition" | "bucket" | "arn">): Statement {
  return {
    Sid: TLS_ONLY_SID,
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "s3:*",
    Resource: [bucket.arn, objectsArn(bucket.partition, bucket.bucket)],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function tlsOnlyPolicy(bucket: Pick<BucketLocation, "partition" | "bucket" | "arn">): PolicyDocument {
  return policyDocument([tlsOnlyStatement(bucket)]);
}
