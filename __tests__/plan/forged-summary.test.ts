/**
 * Output that cannot be forged: rule ids, Sids and prefixes, from the config or from a live
 * bucket, reach the plan summary (stdout and $GITHUB_STEP_SUMMARY), the topology diagram and the
 * terminal escaped. The summary is read back by a Markdown parser: it may hold only the headings
 * and the HTML the project writes itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand, GetBucketReplicationCommand } from "@aws-sdk/client-s3";
import { headings, markdownTokens, rawHtml } from "../helpers/markdown";
import { planWorkspace } from "../helpers/plan-run";
import { writeConfig } from "../helpers/synth-run";

const DEFAULT_STACK = "replication-my-app-data-prod";
/** The id that, in issue 20, closed a code fence, forged a heading and hid the rest of the summary. */
const FORGERY = "everything\n```\n\n## All stacks: no changes <img src=x>\n\n<!--";
const TOPOLOGY_HTML = ["<details><summary>What replicates where</summary>", "</details>"];

describe("a plan summary with hostile names", () => {
  test("live rule ids and Sids cannot add a heading, HTML or a comment, on stdout, in the job summary or on the terminal", async () => {
    const ws = planWorkspace(join(process.cwd(), "replication.config.json"));
    ws.aws
      .account("111122223333")
      .s3.on(GetBucketReplicationCommand)
      .resolves({ ReplicationConfiguration: { Role: "r", Rules: [{ ID: FORGERY, Status: "Enabled" } as never] } });
    ws.aws
      .account("444455556666")
      .s3.on(GetBucketPolicyCommand)
      .resolves({
        Policy: JSON.stringify({
          Statement: [{ Sid: FORGERY, Effect: "Allow", Principal: "*", Action: "s3:GetObject" }],
        }),
      });
    const result = await ws.command([]);
    expect(result.code).toBe(1);
    for (const markdown of [result.stdout, readFileSync(ws.summaryFile, "utf8")]) {
      expect(headings(markdown)).toEqual(["## Replication plan", `### ${DEFAULT_STACK}: refused, not planned`]);
      expect(rawHtml(markdown)).toEqual(TOPOLOGY_HTML);
    }
    expect(result.stdout).toContain(
      "- replication configuration of `my-app-data-prod`: rule ````everything\\n```\\n\\n## All stacks: no changes <img src=x>\\n\\n<!--````",
    );
    expect(result.stderr).not.toMatch(/\n## All stacks/);
    expect(result.stderr).toContain("(id everything\\n```\\n\\n## All stacks: no changes <img src=x>\\n\\n<!--)");
  });

  test("a config rule id with markup stays text in the summary and in the diagram", async () => {
    const raw = JSON.parse(readFileSync(join(process.cwd(), "replication.config.json"), "utf8"));
    raw.$schema = undefined;
    const id = 'everything ``` ## All stacks: no changes <img src=x> "quoted" <!--';
    raw.replications[0].rules[0].id = id;
    raw.replications[0].rules[0].filter = { prefix: "logs/<!--/" };
    const ws = planWorkspace(writeConfig(raw));
    ws.terraform.shows = ws.fixture("default-first-apply.json");
    const result = await ws.command([]);
    expect(result.code).toBe(0);
    expect(headings(result.stdout)).toEqual([
      "## Replication plan",
      `### ${DEFAULT_STACK}: 8 to add, 0 to change, 0 to replace, 0 to destroy`,
    ]);
    // Only the project's own HTML: policy diffs folded under their address, and the diagram.
    const own =
      /^(<details><summary>(<code>[\w.-]+<\/code> (policy|assume_role_policy)|What replicates where)<\/summary>|<\/details>)$/;
    expect(rawHtml(result.stdout).filter((h) => !own.test(h))).toEqual([]);
    const diagram = markdownTokens(result.stdout).find((t) => t.type === "fence" && t.content.startsWith("flowchart"));
    expect(diagram?.content).toContain(
      '"everything #96;#96;#96; #35;#35; All stacks: no changes #60;img src=x#62; #34;quoted#34; #60;#33;-- (priority 1) · prefix logs/#60;#33;--/ · delete markers · owner override"',
    );
    expect(diagram?.content).not.toMatch(/<img|<!--|`/);
  });
});
