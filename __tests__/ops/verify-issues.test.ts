import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Gh, runVerifyIssues } from "../../lib/cli/verify-issues";
import { issueActions } from "../../lib/ops/verify/issues";
import type { StackRow, VerifyReport } from "../../lib/ops/verify/verify";
import { tempDir } from "../helpers/synth-run";

const pass = { status: "pass", summary: "no changes", findings: [] } as const;
const row = (stack: string, healthy: boolean): StackRow => ({
  stack,
  healthy,
  checks: {
    drift: healthy
      ? pass
      : {
          status: "fail",
          summary: "1 change",
          findings: [
            {
              stack,
              check: "drift",
              resource: stack,
              passed: false,
              detail: "changed outside Terraform: aws_iam_role_policy.replication: create",
              help: "help/troubleshooting.md#verify-finds-changes-made-outside-terraform",
            },
          ],
        },
    doctor: pass,
    canary: pass,
    metrics: pass,
    backfill: pass,
  },
});

const report = (rows: StackRow[]): VerifyReport => ({
  sinceSeconds: 86_400,
  canary: true,
  stacks: rows,
  healthy: rows.filter((r) => r.healthy).length,
  unhealthy: rows.filter((r) => !r.healthy).length,
});

const RUN = {
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_RUN_ID: "42",
  GITHUB_SHA: "abc123",
};

describe("one issue per failing stack", () => {
  test("opens one for a stack that turns unhealthy, updates the open one, closes it when healthy", () => {
    const actions = issueActions(
      report([row("replication-a", false), row("replication-b", false), row("replication-c", true)]),
      [
        { number: 7, title: "verify: replication-b is unhealthy" },
        { number: 9, title: "verify: replication-c is unhealthy" },
        { number: 11, title: "verify: replication-d is unhealthy" },
      ],
      RUN,
    );
    expect(actions.map((a) => [a.kind, a.stack, "number" in a ? a.number : a.title])).toEqual([
      ["open", "replication-a", "verify: replication-a is unhealthy"],
      ["update", "replication-b", 7],
      ["close", "replication-c", 9],
    ]);
    expect(actions[2].body).toBe("Healthy again. Found by https://github.com/org/repo/actions/runs/42.");
    expect(actions[1].body.split("\n").slice(0, 3)).toEqual([
      "Still unhealthy. Found by https://github.com/org/repo/actions/runs/42.",
      "",
      "#### What verify found",
    ]);
    expect(actions[0].body).toContain(
      "**FAIL**: [1 change](https://github.com/org/repo/blob/abc123/help/troubleshooting.md#verify-finds-changes-made-outside-terraform)",
    );
  });

  test("nothing to do when every stack is healthy and no issue is open", () => {
    expect(issueActions(report([row("replication-a", true)]), [], RUN)).toEqual([]);
  });
});

describe("npm run verify:issues", () => {
  function fakeGh(open: unknown[], failOn?: string) {
    const calls: string[] = [];
    const gh: Gh = async (args, input) => {
      calls.push(`${args.join(" ")}${input ? ` <<${input.split("\n")[0]}` : ""}`);
      if (failOn && args.join(" ").startsWith(failOn)) return { code: 1, stdout: "", stderr: "HTTP 403" };
      return { code: 0, stdout: args[1] === "list" ? JSON.stringify(open) : "", stderr: "" };
    };
    return { calls, gh };
  }

  function run(argv: string[], gh: Gh) {
    const out: string[] = [];
    const err: string[] = [];
    return runVerifyIssues(argv, { env: RUN, stdout: (t) => out.push(t), stderr: (t) => err.push(t), gh }).then(
      (code) => ({ code, out, err }),
    );
  }

  const reportFile = (rows: StackRow[]) => {
    const file = join(tempDir(), "verify-report.json");
    writeFileSync(file, JSON.stringify(report(rows)));
    return file;
  };

  test("calls gh with arguments, never a shell, and the bodies on standard input", async () => {
    const { calls, gh } = fakeGh([{ number: 3, title: "verify: replication-b is unhealthy" }]);
    const result = await run([reportFile([row("replication-a", false), row("replication-b", true)])], gh);
    expect(result.code).toBe(0);
    expect(calls).toEqual([
      "label create replication-verify --force --color B60205 --description A stack npm run verify finds unhealthy",
      "issue list --label replication-verify --state open --limit 1000 --json number,title",
      "issue create --title verify: replication-a is unhealthy --label replication-verify --body-file - <<`npm run verify` finds this stack unhealthy. Found by https://github.com/org/repo/actions/runs/42. This issue is updated while it stays so and closed when it is healthy again.",
      "issue close 3 --comment Healthy again. Found by https://github.com/org/repo/actions/runs/42.",
    ]);
    expect(result.out).toEqual(["replication-a: issue opened", "replication-b: issue #3 closed"]);
  });

  test("exit 1 when gh fails, saying which call; exit 2 without a readable report", async () => {
    const failing = fakeGh([], "issue create");
    const failed = await run([reportFile([row("replication-a", false)])], failing.gh);
    expect([failed.code, failed.err]).toEqual([1, ["verify:issues: gh issue create failed (exit 1): HTTP 403"]]);
    const none = await run([], fakeGh([]).gh);
    expect([none.code, none.err]).toEqual([
      2,
      ["verify:issues: name the report: npm run verify:issues -- <report.json>"],
    ]);
    const notReport = join(tempDir(), "x.json");
    writeFileSync(notReport, "{}");
    const wrong = await run([notReport], fakeGh([]).gh);
    expect([wrong.code, wrong.err]).toEqual([2, [`verify:issues: ${notReport} is not a verify report`]]);
  });
});
