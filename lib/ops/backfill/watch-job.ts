/**
 * Follows a Batch Operations job (DescribeJob) until it ends: Complete, Cancelled or Failed.
 * Progress goes to a callback, so the command line can draw a bar and tests can count.
 */
import { DescribeJobCommand, type JobDescriptor, type S3ControlClient } from "@aws-sdk/client-s3-control";

export const TERMINAL_STATUSES = ["Complete", "Cancelled", "Failed"];

export interface JobProgress {
  readonly status: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Tasks per second while the job was active. */
  readonly rate: number;
  /** Seconds left at that rate, when it can be told. */
  readonly etaSeconds?: number;
}

export function progressOf(job: JobDescriptor): JobProgress {
  const summary = job.ProgressSummary ?? {};
  const total = summary.TotalNumberOfTasks ?? 0;
  const succeeded = summary.NumberOfTasksSucceeded ?? 0;
  const failed = summary.NumberOfTasksFailed ?? 0;
  const active = summary.Timers?.ElapsedTimeInActiveSeconds ?? 0;
  const done = succeeded + failed;
  const rate = active > 0 ? done / active : 0;
  return {
    status: job.Status ?? "Unknown",
    total,
    succeeded,
    failed,
    rate,
    etaSeconds: rate > 0 && total > 0 ? Math.round((total - done) / rate) : undefined,
  };
}

export interface WatchOptions {
  readonly intervalSeconds: number;
  readonly onProgress: (progress: JobProgress) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export async function watchJob(
  s3control: S3ControlClient,
  accountId: string,
  jobId: string,
  options: WatchOptions,
): Promise<JobDescriptor> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  while (true) {
    const { Job } = await s3control.send(new DescribeJobCommand({ AccountId: accountId, JobId: jobId }));
    const job = Job ?? {};
    options.onProgress(progressOf(job));
    if (TERMINAL_STATUSES.includes(job.Status ?? "") || options.signal?.aborted) return job;
    await sleep(options.intervalSeconds * 1000);
  }
}
