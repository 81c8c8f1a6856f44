/**
 * `npm run verify:issues -- <report.json>`: opens, updates and closes one GitHub issue per
 * failing stack from the JSON report `npm run verify -- --report-file` wrote (lib/ops/verify/issues.ts
 * decides; this runs GitHub's `gh` CLI, which GitHub's runners have, with the job's GH_TOKEN).
 * Exit codes: 0 done; 1 a `gh` call failed; 2 no readable report.
 */
import { readFileSync } from "node:fs";
import { ISSUE_LABEL, issueActions, type OpenIssue } from "../ops/verify/issues";
import type { VerifyReport } from "../ops/verify/verify";
import { runProcess } from "../run-process";

export interface GhResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gh` with arguments (never a shell) and optional standard input. */
export type Gh = (args: readonly string[], input?: string) => Promise<GhResult>;

export const realGh: Gh = (args, input) => runProcess("gh", args, { input });

export interface IssuesIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly gh: Gh;
}

class GhFailed extends Error {}

async function call(io: IssuesIo, args: readonly string[], input?: string): Promise<string> {
  const result = await io.gh(args, input);
  if (result.code !== 0)
    throw new GhFailed(`gh ${args.slice(0, 2).join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

export async function runVerifyIssues(argv: readonly string[], io: IssuesIo): Promise<number> {
  const [file] = argv;
  let report: VerifyReport;
  try {
    if (!file) throw new Error("name the report: npm run verify:issues -- <report.json>");
    report = JSON.parse(readFileSync(file, "utf8")) as VerifyReport;
    if (!Array.isArray(report.stacks)) throw new Error(`${file} is not a verify report`);
  } catch (error) {
    io.stderr(`verify:issues: ${(error as Error).message}`);
    return 2;
  }
  try {
    await call(io, [
      "label",
      "create",
      ISSUE_LABEL,
      "--force",
      "--color",
      "B60205",
      "--description",
      "A stack npm run verify finds unhealthy",
    ]);
    const listed = await call(io, [
      "issue",
      "list",
      "--label",
      ISSUE_LABEL,
      "--state",
      "open",
      "--limit",
      "1000",
      "--json",
      "number,title",
    ]);
    const open = JSON.parse(listed) as OpenIssue[];
    for (const action of issueActions(report, open, io.env)) {
      if (action.kind === "open") {
        await call(
          io,
          ["issue", "create", "--title", action.title, "--label", ISSUE_LABEL, "--body-file", "-"],
          action.body,
        );
        io.stdout(`${action.stack}: issue opened`);
      } else if (action.kind === "update") {
        await call(io, ["issue", "comment", String(action.number), "--body-file", "-"], action.body);
        io.stdout(`${action.stack}: issue #${action.number} updated`);
      } else {
        await call(io, ["issue", "close", String(action.number), "--comment", action.body]);
        io.stdout(`${action.stack}: issue #${action.number} closed`);
      }
    }
    return 0;
  } catch (error) {
    if (!(error instanceof GhFailed)) throw error;
    io.stderr(`verify:issues: ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  runVerifyIssues(process.argv.slice(2), {
    env: process.env,
    stdout: (t) => console.log(t),
    stderr: (t) => console.error(t),
    gh: realGh,
  }).then((code) => {
    process.exitCode = code;
  });
}
