import { objectsArn } from "../arn";
import type { DestinationBucket, Replication } from "../config/model";
import { BUCKET_POLICY_SIDS } from "../naming";
import { DESTINATION_BUCKET_ACTIONS, DESTINATION_OBJECT_ACTIONS, OWNER_OVERRIDE_ACTION } from "../perms";
import { type PolicyDocument, policyDocument } from "./policy-document";
import { tlsOnlyStatement } from "./tls-only";

/**
 * The destination bucket's whole policy: the replication role (its exact ARN, path included) may
 * write replicas, then (on a bucket this project creates) TLS-only access, then the statements
 * the config asks to keep. aws_s3_bucket_policy replaces the
 * bucket's policy, so anything else on the bucket today is removed on apply.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function destinationBucketPolicy(replication: Replication, destination: DestinationBucket): PolicyDocument {
  const principal = { AWS: replication.role.arn };
  return policyDocument([
    {
      Sid: BUCKET_POLICY_SIDS.replication,
      Effect: "Allow",
      Principal: principal,
      Action: [...DESTINATION_OBJECT_ACTIONS, ...(destination.ownerOverride ? [OWNER_OVERRIDE_ACTION] : [])],
      Resource: objectsArn(destination.partition, destination.bucket),
    },
    {
      Sid: BUCKET_POLICY_SIDS.versioningCheck,
      Effect: "Allow",
      Principal: principal,
      Action: [...DESTINATION_BUCKET_ACTIONS],
      Resource: destination.arn,
    },
    ...(destination.create ? [tlsOnlyStatement(destination)] : []),
    ...destination.additionalStatements,
  ]);
}
