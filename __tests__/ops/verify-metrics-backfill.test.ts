import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeJobCommand, type JobStatus, ListJobsCommand } from "@aws-sdk/client-s3-control";
import { backfillJobsOf } from "../../lib/ops/verify/backfill-job";
import { metricsOf } from "../../lib/ops/verify/metrics";
import { awsError, inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { configWith, guideConfig, modelOf } from "../helpers/config";

const NOW = new Date("2026-12-01T12:00:00Z");
const DAY = { sinceSeconds: 86_400, now: NOW };

const withMetrics = modelOf(
  configWith((config) => {
    config.replications[0].rules[0].replicationTime = { minutes: 15 };
  }),
).replications;

function cloudwatch(failed: number[], latency: number[]) {
  const aws = mockedAccounts();
  const stub = aws.account("111122223333").cloudwatch;
  stub
    .on(GetMetricStatisticsCommand, { MetricName: "OperationsFailedReplication" })
    .resolves({ Datapoints: failed.map((Sum) => ({ Sum })) });
  stub
    .on(GetMetricStatisticsCommand, { MetricName: "ReplicationLatency" })
    .resolves({ Datapoints: latency.map((Maximum) => ({ Maximum })) });
  return aws;
}

describe("verify's metrics check", () => {
  test("off, and no call, where no rule has metrics", async () => {
    const aws = mockedAccounts();
    const cell = await metricsOf(modelOf(guideConfig()).replications, aws.clients, DAY);
    expect(cell).toEqual({ status: "skipped", summary: "off", findings: [] });
    expect(inputsOf(aws.account("111122223333").cloudwatch, GetMetricStatisticsCommand)).toEqual([]);
  });

  test("asks AWS/S3 by source, destination and rule over the window, and passes with no failed operation", async () => {
    const aws = cloudwatch([0, 0], [12]);
    const cell = await metricsOf(withMetrics, aws.clients, DAY);
    expect([cell.status, cell.summary, cell.findings[0].detail]).toEqual([
      "pass",
      "ok",
      "0 failed operation(s), latency at most 12 s (limit 900 s) in the last 24 h",
    ]);
    expect(inputsOf(aws.account("111122223333").cloudwatch, GetMetricStatisticsCommand)[0]).toEqual({
      Namespace: "AWS/S3",
      MetricName: "OperationsFailedReplication",
      Dimensions: [
        { Name: "SourceBucket", Value: "my-app-data-prod" },
        { Name: "DestinationBucket", Value: "my-app-data-backup" },
        { Name: "RuleId", Value: "CrossAccountReplicationRule" },
      ],
      StartTime: new Date("2026-11-30T12:00:00Z"),
      EndTime: NOW,
      Period: 60,
      Statistics: ["Sum"],
    });
  });

  test("fails on any failed operation, and on latency above the limit, with its section", async () => {
    const failed = await metricsOf(withMetrics, cloudwatch([0, 3], []).clients, DAY);
    expect([failed.status, failed.summary, failed.findings[0].detail, failed.findings[0].help]).toEqual([
      "fail",
      "1 of 1 failed",
      "3 failed operation(s), latency no data (limit 900 s) in the last 24 h",
      "help/troubleshooting.md#replication-metrics-show-failed-or-late-objects",
    ]);
    const late = await metricsOf(withMetrics, cloudwatch([], [901]).clients, DAY);
    expect([late.status, late.findings[0].detail]).toEqual([
      "fail",
      "0 failed operation(s), latency at most 901 s (limit 900 s) in the last 24 h",
    ]);
  });
});

describe("verify's last backfill job", () => {
  const replications = modelOf(guideConfig()).replications;
  const description = (id: string, created: string, status: JobStatus) => ({
    JobId: id,
    Description: "Batch Replication of existing objects in my-app-data-prod (replication-my-app-data-prod)",
    CreationTime: new Date(created),
    Status: status,
  });

  test("none in the last 90 days passes, saying so", async () => {
    const aws = mockedAccounts();
    aws.account("111122223333").s3control.on(ListJobsCommand).resolves({ Jobs: [] });
    const cell = await backfillJobsOf(replications, aws.clients);
    expect([cell.status, cell.summary, cell.findings[0].detail]).toEqual([
      "pass",
      "none",
      "no backfill job in the last 90 days",
    ]);
  });

  test("the newest of the replication's jobs counts: Complete with failed tasks fails, linked to its section", async () => {
    const aws = mockedAccounts();
    const control = aws.account("111122223333").s3control;
    control.on(ListJobsCommand).resolves({
      Jobs: [
        description("old", "2026-11-01T00:00:00Z", "Failed"),
        description("new", "2026-11-20T00:00:00Z", "Complete"),
        { ...description("other", "2026-11-25T00:00:00Z", "Failed"), Description: "someone else's job" },
      ],
    });
    control.on(DescribeJobCommand).resolves({
      Job: {
        Status: "Complete",
        ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 8, NumberOfTasksFailed: 2 },
      },
    });
    const cell = await backfillJobsOf(replications, aws.clients);
    expect(inputsOf(control, DescribeJobCommand)).toEqual([{ AccountId: "111122223333", JobId: "new" }]);
    expect([cell.status, cell.summary, cell.findings[0].resource, cell.findings[0].help]).toEqual([
      "fail",
      "1 of 1 failed",
      "new",
      "help/troubleshooting.md#a-batch-replication-job-fails",
    ]);
  });

  test("a job still running passes with its progress; a call AWS refuses fails the check", async () => {
    const aws = mockedAccounts();
    const control = aws.account("111122223333").s3control;
    control.on(ListJobsCommand).resolves({ Jobs: [description("run", "2026-11-20T00:00:00Z", "Active")] });
    control.on(DescribeJobCommand).resolves({ Job: { Status: "Active", ProgressSummary: { TotalNumberOfTasks: 4 } } });
    const running = await backfillJobsOf(replications, aws.clients);
    expect([running.status, running.summary]).toEqual(["pass", "Active"]);
    control.on(ListJobsCommand).rejects(awsError("AccessDenied", "not authorized to perform: s3:ListJobs"));
    const refused = await backfillJobsOf(replications, aws.clients);
    expect(refused.status).toBe("fail");
  });
});
