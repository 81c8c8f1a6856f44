/**
 * `npm run adopt` edits only what changes in the config file, in the file's own formatting, so
 * that the pull-request diff shows just the adopted statements.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { structuredPatch } from "diff";
import { planWorkspace } from "../helpers/plan-run";
import { OTHER_TEAM_STATEMENT } from "../helpers/statements";
import { tempDir } from "../helpers/synth-run";

const otherTeam = OTHER_TEAM_STATEMENT;

/** The lines a diff of two texts removes and adds. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const lines = structuredPatch("a", "b", before, after, "", "", { context: 0 }).hunks.flatMap((h) => h.lines);
  return {
    removed: lines.filter((l) => l.startsWith("-")).map((l) => l.slice(1)),
    added: lines.filter((l) => l.startsWith("+")).map((l) => l.slice(1)),
  };
}

async function adoptInto(text: string, statements: object[]) {
  const file = join(tempDir(), "replication.config.json");
  writeFileSync(file, text);
  const ws = planWorkspace(file);
  ws.aws
    .account("444455556666")
    .s3.on(GetBucketPolicyCommand)
    .resolves({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
  const result = await ws.adopt([]);
  return { result, after: readFileSync(file, "utf8") };
}

describe("npm run adopt edits the config file in place", () => {
  test("the diff of the project's formatted config has only the added lines", async () => {
    const before = readFileSync(join(process.cwd(), "replication.config.json"), "utf8");
    const { result, after } = await adoptInto(before, [otherTeam]);
    expect(result.code).toBe(0);
    expect(changedLines(before, after)).toEqual({
      removed: [],
      added: [
        '      "destinationPolicies": {',
        '        "my-app-data-backup": {',
        '          "additionalStatements": [',
        "            {",
        '              "Sid": "OtherTeamRead",',
        '              "Effect": "Allow",',
        '              "Principal": {',
        '                "AWS": "arn:aws:iam::777788889999:root"',
        "              },",
        '              "Action": "s3:GetObject",',
        '              "Resource": "arn:aws:s3:::my-app-data-backup/*"',
        "            }",
        "          ]",
        "        }",
        "      },",
      ],
    });
  });

  test("adds to statements the config already keeps, with only added lines, in the file's tab indentation", async () => {
    const config = JSON.parse(readFileSync(join(process.cwd(), "replication.config.json"), "utf8"));
    const kept = { ...otherTeam, Sid: "AlreadyKept" };
    config.replications[0].destinationPolicies = { "my-app-data-backup": { additionalStatements: [kept] } };
    const before = `${JSON.stringify(config, null, "\t")}\n`;
    const { result, after } = await adoptInto(before, [kept, otherTeam]);
    expect(result.stdout).toContain("kept Sid OtherTeamRead of my-app-data-backup's bucket policy");
    const diff = changedLines(before, after);
    expect(diff.removed).toEqual([]);
    expect(diff.added).toContain('\t\t\t\t\t\t\t"Sid": "OtherTeamRead",');
    expect(JSON.parse(after).replications[0].destinationPolicies["my-app-data-backup"].additionalStatements).toEqual([
      otherTeam,
      kept,
    ]);
  });

  test("leaves the file byte for byte as it was when there is nothing to keep", async () => {
    const before = readFileSync(join(process.cwd(), "replication.config.json"), "utf8");
    const { result, after } = await adoptInto(before, []);
    expect(result.stdout).toBe("adopt: no bucket policy statement to keep");
    expect(after).toBe(before);
  });
});
