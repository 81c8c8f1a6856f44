import type { StackRow, VerifyReport } from "../../lib/ops/verify/verify";
import { verifyJson, verifyMarkdown, verifyTable } from "../../lib/ops/verify/verify-report";

const HEALTHY: StackRow = {
  stack: "replication-my-app-data-prod",
  healthy: true,
  checks: {
    drift: { status: "pass", summary: "no changes", findings: [] },
    doctor: { status: "pass", summary: "14 passed", findings: [] },
    canary: { status: "pass", summary: "replicated", findings: [] },
    metrics: { status: "skipped", summary: "off", findings: [] },
    backfill: { status: "pass", summary: "none", findings: [] },
  },
};

const BROKEN: StackRow = {
  stack: "replication-logs-prod",
  healthy: false,
  checks: {
    drift: {
      status: "fail",
      summary: "1 change",
      findings: [
        {
          stack: "replication-logs-prod",
          check: "drift",
          resource: "replication-logs-prod",
          passed: false,
          detail: "changed outside Terraform: aws_s3_bucket_policy.destination_b: update",
          help: "help/troubleshooting.md#verify-finds-changes-made-outside-terraform",
        },
      ],
    },
    doctor: { status: "pass", summary: "14 passed", findings: [] },
    canary: {
      status: "fail",
      summary: "1 of 1 failed",
      findings: [
        {
          stack: "replication-logs-prod",
          rule: "Logs",
          check: "canary",
          resource: "logs-prod/s3-replication-canary/1-Logs.txt",
          passed: false,
          detail: "ReplicationStatus FAILED",
          help: "help/troubleshooting.md#replication-status-shows-failed",
        },
      ],
    },
    metrics: { status: "pass", summary: "ok", findings: [] },
    backfill: { status: "pass", summary: "none", findings: [] },
  },
};

const UNCHECKED: StackRow = {
  stack: "replication-b",
  healthy: false,
  error: "terraform init failed",
  checks: HEALTHY.checks,
};

const report = (stacks: StackRow[]): VerifyReport => {
  const unhealthy = stacks.filter((s) => !s.healthy).length;
  return { sinceSeconds: 86_400, canary: true, stacks, healthy: stacks.length - unhealthy, unhealthy };
};

const GITHUB = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "org/repo", GITHUB_SHA: "abc123" };

describe("verify's report", () => {
  test("a healthy run: one row per stack, a column per check, and the count", () => {
    expect(verifyTable(report([HEALTHY]))).toBe(
      [
        "stack                         drift       doctor     canary      metrics  backfill",
        "replication-my-app-data-prod  no changes  14 passed  replicated  off      none",
        "",
        "verify: 1 stack(s), 1 healthy, 0 unhealthy (canary run, metrics over the last 24 h)",
      ].join("\n"),
    );
  });

  test("an unhealthy run: FAIL in the cells, then each failure with its troubleshooting section", () => {
    expect(verifyTable(report([HEALTHY, BROKEN, UNCHECKED]))).toBe(
      [
        "stack                         drift           doctor       canary               metrics      backfill",
        "replication-my-app-data-prod  no changes      14 passed    replicated           off          none",
        "replication-logs-prod         FAIL: 1 change  14 passed    FAIL: 1 of 1 failed  ok           none",
        "replication-b                 not checked     not checked  not checked          not checked  not checked",
        "",
        "replication-logs-prod:",
        "  drift replication-logs-prod: changed outside Terraform: aws_s3_bucket_policy.destination_b: update",
        "    -> help/troubleshooting.md#verify-finds-changes-made-outside-terraform",
        "  canary (rule Logs) logs-prod/s3-replication-canary/1-Logs.txt: ReplicationStatus FAILED",
        "    -> help/troubleshooting.md#replication-status-shows-failed",
        "",
        "replication-b:",
        "  not checked: terraform init failed",
        "",
        "verify: 3 stack(s), 1 healthy, 2 unhealthy (canary run, metrics over the last 24 h)",
      ].join("\n"),
    );
  });

  test("Markdown for the job summary and issues links each failure to the file at the commit that ran", () => {
    expect(verifyMarkdown(report([BROKEN]), GITHUB)).toBe(
      [
        "## Replication verify",
        "",
        "| stack | drift | doctor | canary | metrics | backfill |",
        "| --- | --- | --- | --- | --- | --- |",
        "| `replication-logs-prod` | **FAIL**: [1 change](https://github.com/org/repo/blob/abc123/help/troubleshooting.md#verify-finds-changes-made-outside-terraform) | 14 passed | **FAIL**: [1 of 1 failed](https://github.com/org/repo/blob/abc123/help/troubleshooting.md#replication-status-shows-failed) | ok | none |",
        "",
        "### replication-logs-prod",
        "",
        "- drift replication-logs-prod: changed outside Terraform: aws\\_s3\\_bucket\\_policy.destination\\_b: update ([troubleshooting](https://github.com/org/repo/blob/abc123/help/troubleshooting.md#verify-finds-changes-made-outside-terraform))",
        "- canary (rule Logs) logs-prod/s3-replication-canary/1-Logs.txt: ReplicationStatus FAILED ([troubleshooting](https://github.com/org/repo/blob/abc123/help/troubleshooting.md#replication-status-shows-failed))",
        "",
        "verify: 1 stack(s), 0 healthy, 1 unhealthy (canary run, metrics over the last 24 h)",
        "",
      ].join("\n"),
    );
  });

  test("off GitHub the links are the repository's paths", () => {
    expect(verifyMarkdown(report([BROKEN]), {})).toContain(
      "**FAIL**: [1 change](help/troubleshooting.md#verify-finds-changes-made-outside-terraform)",
    );
  });

  test("--json is the whole report, every finding included", () => {
    const parsed = JSON.parse(verifyJson(report([BROKEN])));
    expect(parsed.healthy).toBe(0);
    expect(parsed.unhealthy).toBe(1);
    expect(parsed.sinceSeconds).toBe(86400);
    expect(parsed.stacks[0].checks.canary.findings[0].help).toBe(
      "help/troubleshooting.md#replication-status-shows-failed",
    );
  });
});
