/**
 * `npm run plan`, `apply`, `stacks` and `adopt` each have their own help, which explains every
 * option it lists (not only names it).
 */
import { runAdoptCommand } from "../../lib/cli/adopt-command";
import { runApplyCommand } from "../../lib/cli/apply-command";
import { runPlanCommand } from "../../lib/cli/plan-command";
import { runStacksCommand } from "../../lib/cli/stacks-command";

const COMMANDS = { plan: runPlanCommand, apply: runApplyCommand, stacks: runStacksCommand, adopt: runAdoptCommand };

async function help(name: keyof typeof COMMANDS): Promise<string> {
  const out: string[] = [];
  const code = await COMMANDS[name](["--help"], { env: {}, stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(code).toBe(0);
  return out.join("\n");
}

/** Each option of the help's Options section, with the words that explain it. */
function options(text: string): Array<[string, string]> {
  const section = text.split("\nOptions:\n")[1].split("\n\n")[0];
  const entries: Array<[string, string]> = [];
  for (const line of section.split("\n")) {
    const match = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (match) entries.push([match[1].trim(), match[2] ?? ""]);
    else entries[entries.length - 1][1] += ` ${line.trim()}`;
  }
  return entries;
}

describe("help of plan, apply, stacks and adopt", () => {
  test.each(Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>)(
    "%s explains every option in words",
    async (name) => {
      const entries = options(await help(name));
      expect(entries.length).toBeGreaterThanOrEqual(2);
      for (const [option, words] of entries) {
        expect(`${option}: ${words.split(" ").length >= 3 ? "explained" : words}`).toBe(`${option}: explained`);
      }
    },
  );

  test("each command has its own usage line and text", async () => {
    const texts = await Promise.all((Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>).map(help));
    expect(texts.map((t) => t.split("\n")[0])).toEqual([
      "Usage: npm run plan -- [options] [stack...]",
      "Usage: npm run apply -- [options] [stack...]",
      "Usage: npm run stacks -- [options]",
      "Usage: npm run adopt -- [options] [stack...]",
    ]);
    expect(new Set(texts).size).toBe(4);
  });

  test("plan's help names the redaction switch, and apply's the plan job's hashes", async () => {
    const plan = await help("plan");
    expect(plan).toContain("--redact-summary");
    expect(plan).toContain("REPLICATION_REDACT_SUMMARY");
    const apply = await help("apply");
    expect(apply).toContain("--plan-hashes <json>");
    expect(apply).toContain("REPLICATION_REVIEWED_PLAN_HASHES");
    expect(options(apply).map(([o]) => o)).toEqual([
      "--concurrency <n>",
      "--auto-approve",
      "--plan-hashes <json>",
      "--summary-file <file>",
      "--version",
      "-h, --help",
    ]);
  });
});
