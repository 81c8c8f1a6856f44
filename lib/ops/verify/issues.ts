/**
 * One GitHub issue per failing stack, from a verify report: opened when a stack turns unhealthy,
 * updated (a comment with the latest findings) while it stays so, closed with a comment when it is
 * healthy again. Issues are found by their label and exact title, so a person may edit the body or
 * add labels without breaking the link. What to do is decided here, apart from how it is done
 * (lib/cli/verify-issues.ts runs GitHub's `gh` CLI), so it can be tested without GitHub.
 */
import { visible } from "../../escape/visible";
import type { VerifyReport } from "./verify";
import { verifyMarkdown } from "./verify-report";

export const ISSUE_LABEL = "replication-verify";

export function issueTitle(stack: string): string {
  return `verify: ${visible(stack)} is unhealthy`;
}

export interface OpenIssue {
  readonly number: number;
  readonly title: string;
}

export type IssueAction =
  | { readonly kind: "open"; readonly stack: string; readonly title: string; readonly body: string }
  | { readonly kind: "update"; readonly stack: string; readonly number: number; readonly body: string }
  | { readonly kind: "close"; readonly stack: string; readonly number: number; readonly body: string };

/** The run that found it, on GitHub. */
function runLink(env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
    : "this run";
}

export function issueActions(report: VerifyReport, open: readonly OpenIssue[], env: NodeJS.ProcessEnv): IssueAction[] {
  return report.stacks.flatMap((row): IssueAction[] => {
    const title = issueTitle(row.stack);
    const existing = open.find((issue) => issue.title === title);
    const found = `Found by ${runLink(env)}.`;
    if (!row.healthy) {
      const findings = verifyMarkdown(
        { ...report, stacks: [row], healthy: 0, unhealthy: 1 },
        env,
        "#### What verify found",
      );
      if (existing)
        return [
          {
            kind: "update",
            stack: row.stack,
            number: existing.number,
            body: `Still unhealthy. ${found}\n\n${findings}`,
          },
        ];
      const body = `\`npm run verify\` finds this stack unhealthy. ${found} This issue is updated while it stays so and closed when it is healthy again.\n\n${findings}`;
      return [{ kind: "open", stack: row.stack, title, body }];
    }
    return existing
      ? [{ kind: "close", stack: row.stack, number: existing.number, body: `Healthy again. ${found}` }]
      : [];
  });
}
