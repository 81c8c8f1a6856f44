/**
 * The S3 Control CreateJob request for Batch Replication of existing objects, built from the
 * model: an S3-generated manifest of the objects eligible for replication (by default those never
 * replicated or whose replication FAILED), operation S3ReplicateObject, a completion report, and a
 * client request token derived from the request, so that running the same backfill twice returns
 * the first job instead of starting a second one.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html
 */
import { createHash } from "node:crypto";
import type { CreateJobCommandInput, ReplicationStatus } from "@aws-sdk/client-s3-control";
import type { Replication } from "../../config/model";

export const REPLICATION_STATUSES = ["NONE", "FAILED", "COMPLETED", "REPLICA"] as const;

export interface BackfillOptions {
  /** Which objects: NONE never replicated, FAILED failed before, COMPLETED replicated (to re-send). */
  readonly statuses: readonly ReplicationStatus[];
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  /** Higher runs first among the account's jobs. */
  readonly priority: number;
  /** Overrides the derived token, to run the same backfill again on purpose. */
  readonly token?: string;
}

export const DEFAULT_BACKFILL: BackfillOptions = { statuses: ["NONE", "FAILED"], priority: 10 };

export function createJobRequest(replication: Replication, options: BackfillOptions): CreateJobCommandInput {
  const { source, batch } = replication;
  const request: Omit<CreateJobCommandInput, "ClientRequestToken"> = {
    AccountId: source.account.accountId,
    ConfirmationRequired: false,
    Description: `Batch Replication of existing objects in ${source.bucket} (${replication.id})`,
    Priority: options.priority,
    RoleArn: batch.roleArn,
    Operation: { S3ReplicateObject: {} },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: source.account.accountId,
        SourceBucket: source.arn,
        EnableManifestOutput: false,
        Filter: {
          EligibleForReplication: true,
          ObjectReplicationStatuses: [...options.statuses],
          ...(options.createdAfter ? { CreatedAfter: options.createdAfter } : {}),
          ...(options.createdBefore ? { CreatedBefore: options.createdBefore } : {}),
        },
      },
    },
    Report: {
      Enabled: true,
      Bucket: batch.reportBucketArn,
      Prefix: batch.reportPrefix.replace(/\/$/, ""),
      Format: "Report_CSV_20180820",
      ReportScope: "AllTasks",
    },
  };
  const token = options.token ?? createHash("sha256").update(JSON.stringify(request)).digest("hex").slice(0, 64);
  return { ...request, ClientRequestToken: token };
}

/** Where S3 writes the report of a job: `<bucket>/<prefix>/job-<id>/`. */
export function reportLocation(replication: Replication, jobId: string): string {
  return `s3://${replication.batch.reportBucket}/${replication.batch.reportPrefix.replace(/\/$/, "")}/job-${jobId}/`;
}
