import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPlanCommand } from "../../lib/cli/plan-command";
import type { CommandResult } from "../../lib/plan/run-plan";
import { mockedAccounts } from "./aws-mocks";
import { tempDir } from "./synth-run";

const firstApply = readFileSync(join(__dirname, "../fixtures/plans/first-apply.json"), "utf8");

export interface FakeTerraform {
  /** `terraform <args>` per call, with the stack directory relative to the output directory. */
  readonly calls: Array<[string, string]>;
  /** Make `terraform <subcommand>` fail with this error in every stack (or only the one named). */
  failOn?: { subcommand: string; stack?: string; stderr: string };
}

/**
 * A workspace for `npm run plan` / `apply`: one output directory, one plugin cache, mocked AWS
 * accounts and a fake Terraform that writes a plan file on `plan -out` and shows a fixed plan.
 */
export function planWorkspace(configFile: string) {
  const root = tempDir();
  const outdir = join(root, "cdktf.out");
  const summaryFile = join(root, "summary.md");
  const aws = mockedAccounts();
  const terraform: FakeTerraform = { calls: [] };
  const env = {
    CDKTF_OUTDIR: outdir,
    REPLICATION_CONFIG: configFile,
    TF_PLUGIN_CACHE_DIR: join(root, "plugin-cache"),
  };
  const run = async (command: string, args: readonly string[], cwd: string): Promise<CommandResult> => {
    const stack = cwd.slice(outdir.length + 1);
    terraform.calls.push([`${command} ${args.join(" ")}`, stack]);
    const fail = terraform.failOn;
    if (fail && args[0] === fail.subcommand && (!fail.stack || stack.endsWith(fail.stack))) {
      return { code: 1, stdout: "", stderr: fail.stderr };
    }
    const out = args.find((a) => a.startsWith("-out="));
    if (out) writeFileSync(join(cwd, out.slice("-out=".length)), `plan of ${stack}`);
    if (args[0] === "init") writeFileSync(join(cwd, ".terraform.lock.hcl"), `# lock of ${stack}`);
    return { code: 0, stdout: args[0] === "show" ? firstApply : "", stderr: "" };
  };
  const command = async (args: string[], extra: { isTTY?: boolean; answer?: string; env?: object } = {}) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const questions: string[] = [];
    const code = await runPlanCommand([...args, "--summary-file", summaryFile], {
      env: { ...env, ...extra.env },
      stdout: (t) => stdout.push(t),
      stderr: (t) => stderr.push(t),
      run,
      clients: aws.clients,
      isTTY: extra.isTTY ?? false,
      ask: async (question) => {
        questions.push(question);
        return extra.answer ?? "";
      },
    });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n"), questions };
  };
  return { root, outdir, summaryFile, aws, terraform, command };
}
