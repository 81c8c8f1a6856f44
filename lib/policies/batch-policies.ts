import { objectsArn } from "../arn";
import type { Replication } from "../config/model";
import {
  ASSUME_ROLE_ACTION,
  BATCH_OPERATIONS_PRINCIPAL,
  BATCH_REPORT_ACTIONS,
  BATCH_SOURCE_BUCKET_ACTIONS,
  BATCH_SOURCE_OBJECT_ACTIONS,
} from "../perms";
import { type PolicyDocument, policyDocument } from "./policy-document";

/** S3 Batch Operations may assume the backfill role. */
export function batchTrustPolicy(): PolicyDocument {
  return policyDocument([
    {
      Sid: "BatchOperationsAssumeRole",
      Effect: "Allow",
      Principal: { Service: BATCH_OPERATIONS_PRINCIPAL },
      Action: ASSUME_ROLE_ACTION,
    },
  ]);
}

/**
 * What a Batch Replication job with an S3-generated manifest needs: start replication of the
 * source objects, read the replication configuration, build the inventory, write the report.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
 */
export function batchRolePolicy(replication: Replication): PolicyDocument {
  const { source, batch } = replication;
  return policyDocument([
    {
      Sid: "InitiateReplication",
      Effect: "Allow",
      Action: [...BATCH_SOURCE_OBJECT_ACTIONS],
      Resource: objectsArn(source.partition, source.bucket),
    },
    {
      Sid: "GenerateManifest",
      Effect: "Allow",
      Action: [...BATCH_SOURCE_BUCKET_ACTIONS],
      Resource: source.arn,
    },
    {
      Sid: "WriteCompletionReport",
      Effect: "Allow",
      Action: [...BATCH_REPORT_ACTIONS],
      Resource: objectsArn(source.partition, batch.reportBucket, batch.reportPrefix),
    },
  ]);
}
