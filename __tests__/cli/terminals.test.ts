import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetBucketAclCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { runOps } from "../../lib/cli/ops-program";
import { displayMode, MIN_LIVE_COLUMNS, progress } from "../../lib/cli/progress-display";
import { mockedAccounts } from "../helpers/aws-mocks";
import { guideConfig } from "../helpers/config";
import { type RecordingServer, recordingServer } from "../helpers/recording-server";
import { writeConfig } from "../helpers/synth-run";

const SOURCE = "111122223333";
const DEST = "444455556666";
const STACK = "replication-my-app-data-prod";
const ESCAPE = "\u001b";

describe("progress display", () => {
  test("redraws only on a terminal with a usable width, outside CI", () => {
    expect(displayMode({ isTTY: true, columns: 120 }, {}, false)).toBe("live");
    expect(displayMode({ isTTY: true, columns: 0 }, {}, false)).toBe("lines");
    expect(displayMode({ isTTY: true, columns: MIN_LIVE_COLUMNS - 1 }, {}, false)).toBe("lines");
    expect(displayMode({ isTTY: true }, {}, false)).toBe("lines");
    expect(displayMode({ isTTY: false, columns: 120 }, {}, false)).toBe("lines");
    expect(displayMode({ isTTY: true, columns: 120 }, { CI: "true" }, false)).toBe("lines");
    expect(displayMode({ isTTY: true, columns: 120 }, { TERM: "dumb" }, false)).toBe("lines");
    expect(displayMode({ isTTY: true, columns: 120 }, {}, true)).toBe("none");
  });
});

describe("live progress on a wide terminal", () => {
  test("redraws one line and ends it", () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 100, write: (t: string) => written.push(t) };
    const shown = progress(displayMode(stream, {}, false), stream, { label: "canary", bar: false });
    shown.update("rule r: PENDING after 0s");
    shown.update("rule r: COMPLETED after 5s");
    shown.stop();
    const text = written.join("");
    expect(text).toContain(ESCAPE);
    expect(text).toContain("canary: rule r: COMPLETED after 5s");
    expect(text.endsWith("\n")).toBe(true);
  });
});

/** doctor --canary in-process, on a progress stream that says it is a terminal of `columns`. */
async function doctorCanary(stream: { isTTY: boolean; columns: number }, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const aws = mockedAccounts();
  aws.account(SOURCE).sts.on(GetCallerIdentityCommand).resolves({ Account: SOURCE });
  aws.account(DEST).sts.on(GetCallerIdentityCommand).resolves({ Account: DEST });
  const source = aws.account(SOURCE).s3;
  source.on(PutObjectCommand).resolves({});
  source
    .on(HeadObjectCommand)
    .resolvesOnce({ ReplicationStatus: "PENDING" })
    .resolvesOnce({ ReplicationStatus: "PENDING" })
    .resolves({ ReplicationStatus: "COMPLETED" });
  aws.account(DEST).s3.on(HeadObjectCommand).resolves({ ReplicationStatus: "REPLICA" });
  aws
    .account(DEST)
    .s3.on(GetObjectAclCommand)
    .resolves({ Owner: { ID: "destination" } });
  aws
    .account(DEST)
    .s3.on(GetBucketAclCommand)
    .resolves({ Owner: { ID: "destination" } });
  for (const id of [SOURCE, DEST]) aws.account(id).s3.on(ListObjectVersionsCommand).resolves({});
  const written: string[] = [];
  const stdout: string[] = [];
  let code = -1;
  let now = 0;
  await runOps(["--config", writeConfig(guideConfig()), ...extra, "doctor", STACK, "--canary", "--poll", "5s"], {
    env,
    stdout: (t) => stdout.push(t),
    stderr: (t) => written.push(`${t}\n`),
    isTTY: stream.isTTY,
    progressStream: { ...stream, write: (t) => written.push(t) },
    exit: (c) => {
      code = c;
    },
    clients: () => aws.clients,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { code, progress: written.join(""), stdout: stdout.join("\n"), now };
}

describe("doctor --canary where nothing can be redrawn", () => {
  const pollLines = [
    "canary: rule CrossAccountReplicationRule: PENDING after 0s",
    "canary: rule CrossAccountReplicationRule: PENDING after 0s",
    "canary: rule CrossAccountReplicationRule: COMPLETED after 0s",
  ];

  test("a terminal of 0 columns gets one plain line per poll, and doctor finishes", async () => {
    const run = await doctorCanary({ isTTY: true, columns: 0 }, {});
    expect(run.progress.split("\n").filter(Boolean)).toEqual(pollLines);
    expect(run.progress).not.toContain(ESCAPE);
    expect(run.stdout).toMatch(/canary .*pass .*COMPLETED, REPLICA in the destination/);
    expect(run.code).toBe(1); // the other checks have no mocked answers
  });

  test("no terminal at all: one plain line per poll", async () => {
    const run = await doctorCanary({ isTTY: false, columns: 0 }, {});
    expect(run.progress.split("\n").filter(Boolean)).toEqual(pollLines);
  });

  test("NO_COLOR on a wide terminal: the report has no colour codes", async () => {
    const run = await doctorCanary({ isTTY: true, columns: 120 }, { NO_COLOR: "1" });
    expect(run.stdout).not.toContain(ESCAPE);
    expect(run.stdout).toContain("pass");
  });

  test("--quiet prints no progress, only the report", async () => {
    const run = await doctorCanary({ isTTY: false, columns: 0 }, {}, ["--quiet"]);
    expect(run.progress).toBe("");
    expect(run.stdout).toMatch(/^doctor: \d+ checks/m);
  });
});

/** A DescribeJob answer of S3 Control. */
function job(status: string, done: number): string {
  return `<DescribeJobResult><Job><JobId>job-1</JobId><Status>${status}</Status><ProgressSummary><TotalNumberOfTasks>10</TotalNumberOfTasks><NumberOfTasksSucceeded>${done}</NumberOfTasksSucceeded><NumberOfTasksFailed>0</NumberOfTasksFailed></ProgressSummary></Job></DescribeJobResult>`;
}

/** util-linux `script` gives a command a pseudo-terminal (BSD `script` takes other arguments). */
const UTIL_LINUX_SCRIPT = spawnSync("script", ["--version"], { encoding: "utf8" }).stdout?.includes("util-linux");

(UTIL_LINUX_SCRIPT ? describe : describe.skip)("the real command in a pseudo-terminal (util-linux script)", () => {
  let server: RecordingServer;
  let asked = 0;
  beforeAll(async () => {
    server = await recordingServer(() => {
      asked += 1;
      return { status: 200, body: asked % 3 !== 0 ? job("Active", (asked % 3) * 3) : job("Complete", 10) };
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    asked = 0;
    server.requests.length = 0;
  });

  /** `status job-1` under `script`, the terminal set to `columns`; what the terminal showed. */
  async function statusIn(columns: number): Promise<{ code: number | null; text: string }> {
    const dir = mkdtempSync(join(tmpdir(), "pty-"));
    writeFileSync(
      join(dir, "credentials"),
      "[source-account-profile]\naws_access_key_id = test\naws_secret_access_key = test\n",
    );
    const command = [
      `stty cols ${columns} rows 24;`,
      `exec ${process.execPath} --import tsx lib/cli/ops.ts --config ${writeConfig(guideConfig(), dir)}`,
      `--endpoint-url ${server.url} status job-1 --interval 0s`,
    ].join(" ");
    return new Promise((resolve) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
          AWS_CONFIG_FILE: join(dir, "config"),
          NODE_NO_WARNINGS: "1",
        },
      });
      let text = "";
      child.stdout.on("data", (d) => {
        text += d;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, text });
      });
    });
  }

  const summary = [
    "job job-1: Complete, 10 succeeded, 0 failed of 10",
    "report: s3://my-app-data-prod/batch-replication-reports/job-job-1/",
  ];

  test("0 columns: status follows a job to the end with plain lines, and exits", async () => {
    const output = await statusIn(0);
    expect(output.code).toBe(0);
    expect(output.text).not.toContain(ESCAPE);
    expect(output.text.split(/\r?\n/).filter(Boolean)).toEqual([
      `warning: --endpoint-url sends AWS requests, signed with your credentials, to ${server.url}, which is not an AWS endpoint: what it answers is taken for AWS's answer, a NoSuchBucket for a bucket that does not exist`,
      "Active: 3 succeeded, 0 failed of 10",
      "Active: 6 succeeded, 0 failed of 10",
      "Complete: 10 succeeded, 0 failed of 10",
      ...summary,
    ]);
    expect(server.requests.map((r) => r.host)).toEqual(Array(3).fill(new URL(server.url).host));
  }, 30_000);

  test("120 columns: the same job with a redrawn progress bar, and the same summary", async () => {
    const output = await statusIn(120);
    expect(output.code).toBe(0);
    expect(output.text).toContain(ESCAPE);
    expect(output.text).toContain("Complete: 10 succeeded, 0 failed of 10");
    expect(output.text.split(/\r?\n/).slice(-3, -1)).toEqual(summary);
  }, 30_000);
});
