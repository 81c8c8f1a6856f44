import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAdoptCommand } from "../../lib/cli/adopt-command";
import { runApplyCommand } from "../../lib/cli/apply-command";
import { VERSION_TEXT } from "../../lib/cli/conventions";
import { EXPORT_USAGE, runExportCommand } from "../../lib/cli/export-command";
import { runOperatorPolicyCommand } from "../../lib/cli/operator-policy-command";
import { runOps } from "../../lib/cli/ops-program";
import { runPlanCommand } from "../../lib/cli/plan-command";
import { runPreflightCommand } from "../../lib/cli/preflight-command";
import { runStacksCommand } from "../../lib/cli/stacks-command";
import { runSynthCommand, SYNTH_USAGE } from "../../lib/cli/synth";
import { DOCS_USAGE, runDocsCommand } from "../../lib/cli/write-docs";
import { runSchemaCommand, SCHEMA_USAGE } from "../../lib/cli/write-schema";
import packageJson from "../../package.json";
import { tempDir } from "../helpers/synth-run";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every command, as a function of its arguments, in an empty directory it must not write to. */
function commands(outdir: string): Record<string, (argv: string[]) => Promise<Ran>> {
  const env = { CDKTF_OUTDIR: outdir, REPLICATION_CONFIG: join(outdir, "missing.json") };
  const capture = async (run: (io: { stdout: (t: string) => void; stderr: (t: string) => void }) => unknown) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = (await run({ stdout: (t) => out.push(t), stderr: (t) => err.push(t) })) as number;
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  };
  const ops = (argv: string[]) => {
    let code = -1;
    return capture(async (io) => {
      await runOps(argv, { ...io, env, isTTY: false, exit: (c) => (code = c) });
      return code;
    });
  };
  return {
    synth: (argv) => capture((io) => runSynthCommand(argv, { ...io, env })),
    plan: (argv) => capture((io) => runPlanCommand(argv, { ...io, env })),
    apply: (argv) => capture((io) => runApplyCommand(argv, { ...io, env })),
    stacks: (argv) => capture((io) => runStacksCommand(argv, { ...io, env })),
    adopt: (argv) => capture((io) => runAdoptCommand(argv, { ...io, env })),
    export: (argv) => capture((io) => runExportCommand(argv, { ...io, env })),
    schema: (argv) =>
      capture((io) =>
        runSchemaCommand(argv, {
          ...io,
          write: () => {
            throw new Error("schema wrote a file");
          },
        }),
      ),
    docs: (argv) =>
      capture((io) =>
        runDocsCommand(argv, {
          ...io,
          write: () => {
            throw new Error("docs wrote a file");
          },
        }),
      ),
    preflight: (argv) => capture((io) => runPreflightCommand(argv, { ...io, env })),
    "operator-policy": (argv) => capture((io) => runOperatorPolicyCommand(argv, { ...io, env })),
    doctor: (argv) => ops(["doctor", ...argv]),
    backfill: (argv) => ops(["backfill", ...argv]),
    status: (argv) => ops(["status", ...argv]),
  };
}

describe("every command's conventions", () => {
  const outdir = join(tempDir(), "cdktf.out");
  const all = commands(outdir);

  test.each(Object.keys(all))("%s --help prints its usage to stdout, exits 0 and does nothing else", async (name) => {
    const ran = await all[name](["--help"]);
    expect(ran).toMatchObject({ code: 0, stderr: "" });
    expect(ran.stdout).toMatch(/^(usage|Usage): /);
    expect(existsSync(outdir)).toBe(false);
  });

  test.each(Object.keys(all))("%s --version prints the project's version and exits 0", async (name) => {
    expect(await all[name](["--version"])).toEqual({ code: 0, stdout: VERSION_TEXT, stderr: "" });
    expect(existsSync(outdir)).toBe(false);
  });

  test("the version is the package's", () => {
    expect(VERSION_TEXT).toBe(`s3-cross-account-replication ${packageJson.version}`);
  });

  test("-h is --help too", async () => {
    for (const [run, usage] of [
      [all.synth, SYNTH_USAGE],
      [all.export, EXPORT_USAGE],
      [all.schema, SCHEMA_USAGE],
      [all.docs, DOCS_USAGE],
    ] as const) {
      expect(await run(["-h"])).toEqual({ code: 0, stdout: usage, stderr: "" });
    }
  });

  test("-h is --help for plan, apply, stacks and adopt too", async () => {
    for (const name of ["plan", "apply", "stacks", "adopt"]) {
      expect(await all[name](["-h"])).toEqual(await all[name](["--help"]));
    }
  });

  test("schema rejects an unknown argument instead of rewriting the file", async () => {
    const ran = await all.schema(["--force"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(`schema: unknown argument --force\n\n${SCHEMA_USAGE}`);
  });

  test("docs rejects an unknown argument instead of rewriting the file", async () => {
    const ran = await all.docs(["--force"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(`docs: unknown argument --force\n\n${DOCS_USAGE}`);
  });

  test("docs --stdout prints the config reference", async () => {
    const ran = await all.docs(["--stdout"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout.split("\n")[2]).toBe("# Config reference");
  });

  test("schema --stdout prints the schema", async () => {
    const ran = await all.schema(["--stdout"]);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).$schema).toMatch(/json-schema/);
  });
});
