import { join } from "node:path";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { ListJobsCommand } from "@aws-sdk/client-s3-control";
import type { CheckResult } from "../../lib/check-result";
import { runVerifyCommand } from "../../lib/cli/verify-command";
import type { DoctorContext } from "../../lib/ops/doctor/doctor-context";
import type { CommandResult } from "../../lib/plan/run-plan";
import { inputsOf, mockedAccounts } from "../helpers/aws-mocks";
import { configWith } from "../helpers/config";
import { tempDir, writeConfig } from "../helpers/synth-run";

// Doctor's own checks have their tests (doctor-checks, canary); here they answer what each test
// sets, so that what verify makes of them is measured alone.
const doctorAnswers = new Map<string, CheckResult[]>();
jest.mock("../../lib/ops/doctor/doctor", () => ({
  runDoctor: async (ctx: DoctorContext, canary?: unknown) => {
    const stack = ctx.replication.stackName;
    const own = doctorAnswers.get(stack) ?? [{ stack, check: "versioning", passed: true }];
    const canaryFinding = { stack, check: "canary", rule: "R", passed: true, detail: "COMPLETED" };
    return canary ? [...own, canaryFinding] : own;
  },
}));

/** Three source buckets, so three stacks; the second has a rule with replication metrics. */
const CONFIG = configWith((config) => {
  const first = config.replications[0];
  config.replications.push(
    {
      source: { account: "source", bucket: "orders-prod" },
      rules: [{ ...first.rules[0], metrics: true, destination: { account: "backup", bucket: "orders-backup" } }],
    },
    {
      source: { account: "source", bucket: "logs-prod" },
      rules: [{ ...first.rules[0], destination: { account: "backup", bucket: "logs-backup" } }],
    },
  );
});

const STACKS = ["replication-logs-prod", "replication-my-app-data-prod", "replication-orders-prod"];
const NOW = new Date("2026-12-01T12:00:00Z");

function workspace(extra: object = {}) {
  const root = tempDir();
  const config = writeConfig({ ...CONFIG, ...extra }, root);
  const outdir = join(root, "cdktf.out.verify");
  const aws = mockedAccounts();
  aws.account("111122223333").s3control.on(ListJobsCommand).resolves({ Jobs: [] });
  aws.account("111122223333").cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
  let inFlight = 0;
  const terraform = { maxInFlight: 0, plans: [] as string[], planCode: new Map<string, number>() };
  const run = async (_command: string, args: readonly string[], cwd: string): Promise<CommandResult> => {
    const stack = cwd.slice(join(outdir, "stacks").length + 1);
    if (args[0] !== "plan") return { code: 0, stdout: "{}", stderr: "" };
    terraform.plans.push(stack);
    inFlight++;
    terraform.maxInFlight = Math.max(terraform.maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inFlight--;
    return { code: terraform.planCode.get(stack) ?? 0, stdout: "", stderr: "" };
  };
  const invoke = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runVerifyCommand(["--outdir", outdir, ...args], {
      env: { REPLICATION_CONFIG: config, TF_PLUGIN_CACHE_DIR: join(root, "cache"), ...env },
      stdout: (t) => stdout.push(t),
      stderr: (t) => stderr.push(t),
      run,
      clients: aws.clients,
      isTTY: false,
      now: () => NOW,
    });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  };
  return { root, aws, terraform, invoke };
}

beforeEach(() => doctorAnswers.clear());

describe("npm run verify", () => {
  test("exit 0 when every stack is healthy, with one row per stack", async () => {
    const { invoke, terraform } = workspace();
    const result = await invoke([]);
    expect(result.code).toBe(0);
    expect(terraform.plans.sort()).toEqual([...STACKS].sort());
    expect(result.stdout).toBe(
      [
        "stack                         drift       doctor    canary   metrics  backfill",
        "replication-logs-prod         no changes  1 passed  not run  off      none",
        "replication-my-app-data-prod  no changes  1 passed  not run  off      none",
        "replication-orders-prod       no changes  1 passed  not run  ok       none",
        "",
        "verify: 3 stack(s), 3 healthy, 0 unhealthy (canary not run, metrics over the last 24 h)",
      ].join("\n"),
    );
  });

  test("exit 1 when a check fails in one stack, which alone is unhealthy; the failure names its section", async () => {
    const { invoke } = workspace();
    doctorAnswers.set("replication-orders-prod", [
      {
        stack: "replication-orders-prod",
        check: "versioning",
        resource: "arn:aws:s3:::my-app-data-backup",
        passed: false,
        detail: "versioning is Suspended",
        help: "help/troubleshooting.md#versioning-must-be-enabled-error",
      },
    ]);
    const result = await invoke(["--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.stacks.map((r: { stack: string; healthy: boolean }) => [r.stack, r.healthy])).toEqual([
      ["replication-logs-prod", true],
      ["replication-my-app-data-prod", true],
      ["replication-orders-prod", false],
    ]);
    expect([report.healthy, report.unhealthy, report.canary, report.sinceSeconds]).toEqual([2, 1, false, 86400]);
    expect(report.stacks[2].checks.doctor).toEqual({
      status: "fail",
      summary: "1 of 1 failed",
      findings: [
        {
          stack: "replication-orders-prod",
          check: "versioning",
          resource: "arn:aws:s3:::my-app-data-backup",
          passed: false,
          detail: "versioning is Suspended",
          help: "help/troubleshooting.md#versioning-must-be-enabled-error",
        },
      ],
    });
  });

  test("drift alone makes a stack unhealthy, and a failed plan too", async () => {
    const { invoke, terraform } = workspace();
    terraform.planCode.set("replication-logs-prod", 1);
    const result = await invoke([]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").slice(1, 2)).toEqual([
      "replication-logs-prod         FAIL: cannot plan  1 passed  not run  off      none",
    ]);
    expect(result.stdout).toContain("    -> help/troubleshooting.md#verify-finds-changes-made-outside-terraform");
  });

  test("--canary runs the canary in every stack; named stacks are the only ones checked", async () => {
    const { invoke, terraform } = workspace();
    const result = await invoke(["--canary", "replication-logs-prod"]);
    expect(result.code).toBe(0);
    expect(terraform.plans).toEqual(["replication-logs-prod"]);
    expect(result.stdout.split("\n")[1]).toBe("replication-logs-prod  no changes  1 passed  replicated  off      none");
  });

  test("--since sets the metrics window: 2 h back from now, one data point a minute", async () => {
    const { invoke, aws } = workspace();
    expect((await invoke(["--since", "2h", "replication-orders-prod"])).code).toBe(0);
    const inputs = inputsOf(aws.account("111122223333").cloudwatch, GetMetricStatisticsCommand);
    expect(inputs).toEqual([
      expect.objectContaining({
        MetricName: "OperationsFailedReplication",
        StartTime: new Date("2026-12-01T10:00:00Z"),
        EndTime: NOW,
        Period: 60,
        Statistics: ["Sum"],
      }),
      expect.objectContaining({
        MetricName: "ReplicationLatency",
        StartTime: new Date("2026-12-01T10:00:00Z"),
        Period: 60,
        Statistics: ["Maximum"],
      }),
    ]);
  });

  test("--concurrency bounds how many stacks are checked at once", async () => {
    const two = workspace();
    expect((await two.invoke(["--concurrency", "2"])).code).toBe(0);
    expect(two.terraform.maxInFlight).toBe(2);
    const one = workspace();
    expect((await one.invoke(["--concurrency", "1"])).code).toBe(0);
    expect(one.terraform.maxInFlight).toBe(1);
  });

  test("a grouped layout: one row for the stack, with doctor's checks of every replication it holds", async () => {
    const { invoke, terraform } = workspace({ stackLayout: "per-account" });
    const result = await invoke([]);
    expect(result.code).toBe(0);
    expect(terraform.plans).toEqual(["replication-account-source"]);
    expect(result.stdout.split("\n").slice(0, 2)).toEqual([
      "stack                       drift       doctor    canary   metrics  backfill",
      "replication-account-source  no changes  3 passed  not run  ok       none",
    ]);
  });

  test("exit 2 on bad input: a bad duration, an unknown stack, a config that does not load", async () => {
    const { invoke, root } = workspace();
    const since = await invoke(["--since", "1d"]);
    expect([since.code, since.stdout]).toEqual([2, ""]);
    expect(since.stderr).toContain('use seconds or a unit, like "900", "15m" or "1h"');
    const unknown = await invoke(["replication-nope"]);
    expect([unknown.code, unknown.stdout]).toEqual([2, ""]);
    expect(unknown.stderr).toContain("no stack replication-nope: use one of");
    const bad = await invoke([], { REPLICATION_CONFIG: writeConfig({ accounts: {} }, tempDir()) });
    expect([bad.code, bad.stdout]).toEqual([2, ""]);
    expect(root).toBeTruthy();
  });
});
