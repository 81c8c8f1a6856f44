/**
 * The last backfill job of each replication in a stack, where there is one: S3 Control ListJobs
 * in the source account (the jobs of the last 90 days), those `npm run backfill` created (by their
 * description), the newest; then DescribeJob. A job that Failed, was Cancelled, or ended with
 * failed tasks fails the check; one still running passes with its progress.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ListJobs.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html
 */
import { DescribeJobCommand, type JobListDescriptor, ListJobsCommand } from "@aws-sdk/client-s3-control";
import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { Replication } from "../../config/model";
import type { ClientsFor } from "../aws-clients";
import { jobDescription, reportLocation } from "../backfill/create-job-request";
import { TERMINAL_STATUSES } from "../backfill/watch-job";
import { checkEach } from "../doctor/doctor-context";
import { type Cell, cellOf } from "./findings";

/** ListJobs pages read at most (1,000 jobs per page). */
const MAX_PAGES = 20;

async function lastJob(replication: Replication, clients: ClientsFor): Promise<JobListDescriptor | undefined> {
  const { s3control } = clients(replication.source.account, replication.source.region);
  const wanted = jobDescription(replication);
  const jobs: JobListDescriptor[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await s3control.send(
      new ListJobsCommand({ AccountId: replication.source.account.accountId, NextToken: token, MaxResults: 1000 }),
    );
    jobs.push(...(answer.Jobs ?? []).filter((j) => j.Description === wanted));
    token = answer.NextToken;
    if (!token) break;
  }
  return jobs.sort((a, b) => (b.CreationTime?.getTime() ?? 0) - (a.CreationTime?.getTime() ?? 0))[0];
}

export async function backfillJobsOf(replications: readonly Replication[], clients: ClientsFor): Promise<Cell> {
  const found: Array<{ replication: Replication; status?: string }> = [];
  const findings: CheckResult[] = await checkEach(
    replications,
    (replication) => ({
      stack: replication.stackName,
      check: "backfill",
      resource: replication.source.arn,
      help: HELP.batch,
    }),
    async (replication, base) => {
      const listed = await lastJob(replication, clients);
      if (!listed?.JobId) {
        found.push({ replication });
        return pass({ ...base, help: undefined, detail: "no backfill job in the last 90 days" });
      }
      const { s3control } = clients(replication.source.account, replication.source.region);
      const { Job } = await s3control.send(
        new DescribeJobCommand({ AccountId: replication.source.account.accountId, JobId: listed.JobId }),
      );
      const status = Job?.Status ?? listed.Status ?? "Unknown";
      found.push({ replication, status });
      const progress = Job?.ProgressSummary ?? listed.ProgressSummary ?? {};
      const failedTasks = progress.NumberOfTasksFailed ?? 0;
      const detail = `job ${listed.JobId} (${listed.CreationTime?.toISOString() ?? "?"}): ${status}, ${progress.NumberOfTasksSucceeded ?? 0} succeeded, ${failedTasks} failed of ${progress.TotalNumberOfTasks ?? 0}; report ${reportLocation(replication, listed.JobId)}`;
      const ended = TERMINAL_STATUSES.includes(status);
      const healthy = !ended || (status === "Complete" && failedTasks === 0);
      return healthy
        ? pass({ ...base, resource: listed.JobId, help: undefined, detail })
        : fail({ ...base, resource: listed.JobId, detail });
    },
  );
  const statuses = found.map((f) => f.status).filter((s): s is string => s !== undefined);
  return cellOf(findings, { pass: statuses.length === 0 ? "none" : [...new Set(statuses)].join(", ") });
}
