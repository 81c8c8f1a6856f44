import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runAdoptCommand } from "../lib/cli/adopt-command";
import { runApplyCommand } from "../lib/cli/apply-command";
import { runExportCommand } from "../lib/cli/export-command";
import { runOperatorPolicyCommand } from "../lib/cli/operator-policy-command";
import { runOps } from "../lib/cli/ops-program";
import { runPlanCommand } from "../lib/cli/plan-command";
import type { PlanIo } from "../lib/cli/plan-io";
import { runPreflightCommand } from "../lib/cli/preflight-command";
import { runStacksCommand } from "../lib/cli/stacks-command";
import { runSynthCommand } from "../lib/cli/synth";
import { markdownDocs, sectionOf } from "./helpers/markdown-docs";
import { synthRun, tempDir } from "./helpers/synth-run";

const root = process.cwd();
const DOCS = markdownDocs();

/** Inline code that Markdown wrapped over lines, on one line again; fenced blocks as they are. */
function unwrapped(markdown: string): string {
  return markdown
    .split(/(^```[^\n]*\n[\s\S]*?^```$)/m)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/`[^`]+`/g, (code) => code.replace(/\s+/g, " "))))
    .join("");
}

/** Every `npm run <command> -- <arguments>` the docs show: in code blocks (before a # comment) and inline. */
function documentedCommands(): Array<{ doc: string; line: string; command: string; args: string }> {
  return DOCS.flatMap((doc) =>
    [...unwrapped(readFileSync(join(root, doc), "utf8")).matchAll(/npm run ([\w:-]+) -- ([^`#\n]+)/g)].map((m) => ({
      doc,
      line: m[0].trim(),
      command: m[1],
      args: m[2].trim(),
    })),
  );
}

const PLACEHOLDERS: Record<string, string> = {
  "<stack>": "replication-my-app-data-prod",
  "<source stack>": "replication-my-app-data-prod",
  "<stacks>": "replication-my-app-data-prod",
  "<job-id>": "0123456789abcdef0123456789abcdef",
  "<dir>": "../replication-terraform",
  "<name>": "source",
};

/** The arguments as a shell would pass them, placeholders filled, optional parts included. */
function argv(args: string): string[] {
  const filled = args
    .replace(/<[^>]+>/g, (p) => {
      if (!(p in PLACEHOLDERS)) throw new Error(`no sample value for ${p}: add one to PLACEHOLDERS`);
      return PLACEHOLDERS[p];
    })
    .replace(/\.\.\./g, "")
    .replace(/[[\]]/g, " ");
  return filled.split(/\s+/).filter(Boolean);
}

type Runner = (argv: string[], env: NodeJS.ProcessEnv, stderr: (t: string) => void) => Promise<number> | number;

const ops =
  (command: string): Runner =>
  async (args, env, stderr) => {
    let code = -1;
    await runOps([command, ...args], {
      env,
      stdout: () => {},
      stderr,
      isTTY: false,
      exit: (c) => {
        code = c;
      },
    });
    return code;
  };
const plan =
  (command: (argv: readonly string[], io: PlanIo) => Promise<number>): Runner =>
  (args, env, stderr) =>
    command(args, { env, stdout: () => {}, stderr });

/** The real argument parser of each command; what needs Terraform or a long run is not cheap to try. */
const RUNNERS: Record<string, Runner> = {
  synth: (args, env, stderr) => runSynthCommand(args, { env, stdout: () => {}, stderr }),
  plan: plan(runPlanCommand),
  apply: plan(runApplyCommand),
  stacks: plan(runStacksCommand),
  adopt: plan(runAdoptCommand),
  export: (args, env, stderr) => runExportCommand(args, { env, stdout: () => {}, stderr }),
  preflight: (args, env, stderr) => runPreflightCommand(args, { env, stdout: () => {}, stderr }),
  "operator-policy": (args, env, stderr) => runOperatorPolicyCommand(args, { env, stdout: () => {}, stderr }),
  doctor: ops("doctor"),
  backfill: ops("backfill"),
  status: ops("status"),
};
const NOT_CHEAP = ["test:e2e", "fuzz", "bench", "bench:plan", "move"];

describe("the commands the docs show", () => {
  const documented = documentedCommands();

  test("are found, and each has its real parser here or is named as not cheap to run", () => {
    expect(documented.length).toBeGreaterThan(15);
    expect(documented.filter((d) => !(d.command in RUNNERS) && !NOT_CHEAP.includes(d.command))).toEqual([]);
  });

  test.each(documented.filter((d) => d.command in RUNNERS).map((d) => [`${d.doc}: ${d.line}`, d] as const))(
    "%s: its arguments parse",
    async (_, { command, args }) => {
      // A config file that does not exist: a command whose arguments parse stops on it (preflight, which
      // reads no config, on the missing synth output), before anything reaches AWS or Terraform.
      const dir = tempDir();
      const env = { REPLICATION_CONFIG: join(dir, "missing.json"), CDKTF_OUTDIR: join(dir, "cdktf.out") };
      const stderr: string[] = [];
      const code = await RUNNERS[command](argv(args), env, (t) => stderr.push(t));
      expect({ code, stderr: stderr.join("\n").split("\n")[0] }).toEqual({
        code: 2,
        stderr:
          command === "preflight"
            ? `preflight: ${join(dir, "cdktf.out", "stacks")} does not exist: run \`npm run synth\` first`
            : `${join(dir, "missing.json")}: 1 problem; nothing was synthesized.`,
      });
    },
  );
});

describe("the preflight sample in docs/security.md", () => {
  test("is what preflight prints for the default config, line for line where it does not elide", async () => {
    const section = sectionOf("docs/security.md", "## Preflight: prove the policies before any plan");
    const sample = /```\n(replication-my-app-data-prod · rule [\s\S]*?)```/.exec(section)?.[1].trimEnd().split("\n");
    const { outdir } = synthRun(join(root, "replication.config.json"));
    const out: string[] = [];
    expect(
      await runPreflightCommand(["--outdir", outdir], { env: {}, stdout: (t) => out.push(t), stderr: () => {} }),
    ).toBe(0);
    const printed = out.join("\n").split("\n");
    expect(sample?.at(-1)).toBe(printed.at(-1));
    let at = 0;
    for (const line of (sample ?? []).filter((l) => l.trim() !== "...")) {
      const found = printed.indexOf(line, at);
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });
});
