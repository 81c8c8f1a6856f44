import { join } from "node:path";
import { CreateJobCommand, DescribeJobCommand } from "@aws-sdk/client-s3-control";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createJobRequest, DEFAULT_BACKFILL, reportLocation } from "../../lib/ops/backfill/create-job-request";
import { progressOf } from "../../lib/ops/backfill/watch-job";
import { inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { exampleConfig, guideConfig, modelOf } from "../helpers/config";
import { opsRun } from "../helpers/ops-run";
import { writeConfig } from "../helpers/synth-run";

const SOURCE = "111122223333";
const STACK = "replication-my-app-data-prod";

const ops = (args: string[], aws = mockedAccounts(), config = writeConfig(guideConfig())) => opsRun(config, args, aws);

describe("backfill request", () => {
  const replication = modelOf(guideConfig()).replications[0];

  test("asks S3 Batch Operations to replicate objects never replicated or failed, with a report", () => {
    const request = createJobRequest(replication, DEFAULT_BACKFILL);
    expect(request).toEqual({
      AccountId: SOURCE,
      ConfirmationRequired: false,
      Description: "Batch Replication of existing objects in my-app-data-prod (replication-my-app-data-prod)",
      Priority: 10,
      RoleArn: "arn:aws:iam::111122223333:role/s3-batch-replication-my-app-data-prod",
      Operation: { S3ReplicateObject: {} },
      ManifestGenerator: {
        S3JobManifestGenerator: {
          ExpectedBucketOwner: SOURCE,
          SourceBucket: "arn:aws:s3:::my-app-data-prod",
          EnableManifestOutput: false,
          Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
        },
      },
      Report: {
        Enabled: true,
        Bucket: "arn:aws:s3:::my-app-data-prod",
        Prefix: "batch-replication-reports",
        Format: "Report_CSV_20180820",
        ReportScope: "AllTasks",
      },
      ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test("runs per source into a shared destination: each job in its own account, with its own role and bucket", () => {
    const model = modelOf(exampleConfig("central-log-archive"));
    const requests = model.replications.map((r) => createJobRequest(r, DEFAULT_BACKFILL));
    expect(
      requests.map((r) => [r.AccountId, r.RoleArn, r.ManifestGenerator?.S3JobManifestGenerator?.SourceBucket]),
    ).toEqual([
      [
        "111122223333",
        "arn:aws:iam::111122223333:role/s3-batch-replication-acme-payments-logs",
        "arn:aws:s3:::acme-payments-logs",
      ],
      [
        "222233334444",
        "arn:aws:iam::222233334444:role/s3-batch-replication-acme-search-logs",
        "arn:aws:s3:::acme-search-logs",
      ],
      [
        "333344445555",
        "arn:aws:iam::333344445555:role/s3-batch-replication-acme-analytics-logs",
        "arn:aws:s3:::acme-analytics-logs",
      ],
    ]);
  });

  test("derives the same token from the same request, and another from another", () => {
    const once = createJobRequest(replication, DEFAULT_BACKFILL).ClientRequestToken;
    expect(createJobRequest(replication, DEFAULT_BACKFILL).ClientRequestToken).toBe(once);
    const dated = createJobRequest(replication, {
      ...DEFAULT_BACKFILL,
      createdAfter: new Date("2026-01-01T00:00:00Z"),
    });
    expect(dated.ClientRequestToken).not.toBe(once);
    expect(dated.ManifestGenerator?.S3JobManifestGenerator?.Filter?.CreatedAfter).toEqual(
      new Date("2026-01-01T00:00:00Z"),
    );
    expect(createJobRequest(replication, { ...DEFAULT_BACKFILL, token: "rerun-2" }).ClientRequestToken).toBe("rerun-2");
  });

  test("tells where the report lands", () => {
    expect(reportLocation(replication, "abc")).toBe("s3://my-app-data-prod/batch-replication-reports/job-abc/");
  });

  test("reads progress, rate and ETA from DescribeJob", () => {
    expect(
      progressOf({
        Status: "Active",
        ProgressSummary: {
          TotalNumberOfTasks: 1000,
          NumberOfTasksSucceeded: 380,
          NumberOfTasksFailed: 20,
          Timers: { ElapsedTimeInActiveSeconds: 40 },
        },
      }),
    ).toEqual({ status: "Active", total: 1000, succeeded: 380, failed: 20, rate: 10, etaSeconds: 60 });
  });
});

describe("npm run backfill", () => {
  test("--dry-run prints the request and sends nothing, with no AWS account at all", async () => {
    const result = await ops(["backfill", STACK, "--dry-run", "--statuses", "failed", "--priority", "50"]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ operation: "s3control:CreateJob", region: "us-east-1" });
    expect(printed.request.Priority).toBe(50);
    expect(printed.request.ManifestGenerator.S3JobManifestGenerator.Filter.ObjectReplicationStatuses).toEqual([
      "FAILED",
    ]);
    expect(result.aws.account(SOURCE).s3control.calls()).toHaveLength(0);
  });

  test("creates the job with the exact request; a second run sends the same token", async () => {
    const aws = mockedAccounts();
    aws.account(SOURCE).s3control.on(CreateJobCommand).resolves({ JobId: "job-1" });
    const first = await ops(["backfill", STACK], aws);
    const second = await ops(["backfill", STACK], aws);
    expect([first.code, second.code]).toEqual([0, 0]);
    const [a, b] = inputsOf(aws.account(SOURCE).s3control, CreateJobCommand);
    expect(a).toEqual(createJobRequest(modelOf(guideConfig()).replications[0], DEFAULT_BACKFILL));
    expect(b).toEqual(a);
    expect(first.stdout).toContain("job job-1 created");
    expect(first.stdout).toContain("report: s3://my-app-data-prod/batch-replication-reports/job-job-1/");
  });

  test("--watch follows the job to the end and prints the summary", async () => {
    const aws = mockedAccounts();
    const s3control = aws.account(SOURCE).s3control;
    s3control.on(CreateJobCommand).resolves({ JobId: "job-2" });
    s3control
      .on(DescribeJobCommand)
      .resolvesOnce({ Job: { Status: "Preparing" } })
      .resolvesOnce({
        Job: {
          Status: "Active",
          ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 4, NumberOfTasksFailed: 0 },
        },
      })
      .resolves({
        Job: {
          Status: "Complete",
          ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 10, NumberOfTasksFailed: 0 },
        },
      });
    const result = await ops(["backfill", STACK, "--watch"], aws);
    expect(result.code).toBe(0);
    expect(inputsOf(s3control, DescribeJobCommand)).toEqual([
      { AccountId: SOURCE, JobId: "job-2" },
      { AccountId: SOURCE, JobId: "job-2" },
      { AccountId: SOURCE, JobId: "job-2" },
    ]);
    expect(result.stderr.split("\n")).toEqual([
      "Preparing: 0 succeeded, 0 failed of 0",
      "Active: 4 succeeded, 0 failed of 10",
      "Complete: 10 succeeded, 0 failed of 10",
    ]);
    expect(result.stdout).toBe(
      "job job-2: Complete, 10 succeeded, 0 failed of 10\nreport: s3://my-app-data-prod/batch-replication-reports/job-job-2/",
    );
  });

  test("status resumes watching and exits 1 for a failed job, with its reasons", async () => {
    const aws = mockedAccounts();
    aws
      .account(SOURCE)
      .s3control.on(DescribeJobCommand)
      .resolves({
        Job: {
          Status: "Failed",
          FailureReasons: [
            { FailureCode: "ManifestGenerationFailed", FailureReason: "Access denied to source bucket" },
          ],
          ProgressSummary: { TotalNumberOfTasks: 0 },
        },
      });
    const result = await ops(["status", "job-3", "--json"], aws);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      jobId: "job-3",
      status: "Failed",
      failureReasons: ["ManifestGenerationFailed: Access denied to source bucket"],
    });
  });
});

describe("replication-ops command line", () => {
  test("prints help for every command without an AWS account, as npm runs it", async () => {
    const usage = {
      "": "Usage: npm run <doctor|backfill|status> -- <arguments> [options]",
      doctor: "Usage: npm run doctor -- <stack> [options]",
      backfill: "Usage: npm run backfill -- <stack> [options]",
      status: "Usage: npm run status -- <job-id> [options]",
    };
    for (const [command, line] of Object.entries(usage)) {
      const result = await ops([...(command ? [command] : []), "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")[0]).toBe(line);
    }
  });

  test.each([["doctor"], ["backfill"], ["status"]])(
    "%s --help shows the options every command takes: --config, --endpoint-url, --json",
    async (command) => {
      const help = (await ops([command, "--help"])).stdout;
      const global = help.slice(help.indexOf("\nGlobal Options:\n"));
      expect(global).toMatch(/^\nGlobal Options:\n/);
      for (const option of ["--config <file>", "--endpoint-url <url>", "--json", "--quiet", "--no-color"]) {
        expect(global).toContain(`  ${option} `);
      }
    },
  );

  test("doctor --json prints the report and exits 1 on a failure", async () => {
    const aws = mockedAccounts();
    aws.account(SOURCE).sts.on(GetCallerIdentityCommand).resolves({ Account: "999988887777" });
    aws.account("444455556666").sts.on(GetCallerIdentityCommand).resolves({ Account: "444455556666" });
    const result = await ops(["--json", "doctor", STACK], aws);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ stacks: [STACK], passed: 1, failed: 1 });
  });

  test("names the stacks when asked for one that is not in the config (exit 2)", async () => {
    const result = await ops(["doctor", "replication-nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no stack "replication-nope" in .*: use one of replication-my-app-data-prod$/);
  });

  test("asks which stack when the config has several", async () => {
    const result = await ops(["status", "job-1"], mockedAccounts(), join(process.cwd(), "examples/two-way.json"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("has 2 stacks: name one with --stack");
  });

  test("rejects a bad option value with the reason (exit 2)", async () => {
    const result = await ops(["backfill", STACK, "--statuses", "DONE"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown status DONE: use NONE, FAILED, COMPLETED, REPLICA");
  });

  test("reports a bad config file with its problems, no stack trace (exit 2)", async () => {
    const result = await ops(["doctor", STACK], mockedAccounts(), writeConfig("{"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing was synthesized\.\n {2}- \(top level\): the file is not valid JSON/);
  });

  test("works with every example config", async () => {
    for (const name of ["kms", "fan-out", "rtc-monitoring"]) {
      const config = writeConfig(exampleConfig(name));
      const stack = modelOf(exampleConfig(name)).replications[0].stackName;
      expect((await ops(["backfill", stack, "--dry-run"], mockedAccounts(), config)).code).toBe(0);
    }
  });
});
