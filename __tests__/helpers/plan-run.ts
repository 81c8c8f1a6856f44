import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { runAdoptCommand } from "../../lib/cli/adopt-command";
import { runApplyCommand } from "../../lib/cli/apply-command";
import { runPlanCommand } from "../../lib/cli/plan-command";
import type { PlanIo } from "../../lib/cli/plan-io";
import type { CommandResult } from "../../lib/plan/run-plan";
import { mockedAccounts } from "./aws-mocks";
import { tempDir } from "./synth-run";

const fixture = (name: string) => readFileSync(join(__dirname, "../fixtures/plans", name), "utf8");

export interface FakeTerraform {
  /** `terraform <args>` per call, with the stack directory relative to the output directory. */
  readonly calls: Array<[string, string]>;
  /** Make `terraform <subcommand>` fail with this error in every stack (or only the one named). */
  failOn?: { subcommand: string; stack?: string; stderr: string };
  /** The plan `terraform show -json` prints (a fixture under __tests__/fixtures/plans). */
  shows: string;
  /** What `plan -detailed-exitcode` exits with in a stack: 2 (changes) unless set here, per stack name. */
  planExit?: Record<string, number>;
}

/**
 * A plan file as Terraform writes it: a zip archive with the plan, the configuration it was made
 * from (`tfconfig/m-/`, byte for byte) and the dependency lock file.
 */
export function planArchive(dir: string, plan = "plan"): Uint8Array {
  const files: Record<string, Uint8Array> = { tfplan: Buffer.from(plan) };
  for (const name of readdirSync(dir).filter((f) => /\.tf(\.json)?$/.test(f))) {
    files[`tfconfig/m-/${name}`] = readFileSync(join(dir, name));
  }
  files["tfconfig/modules.json"] = Buffer.from('{"Modules":[{"Key":"","Source":"","Dir":"."}]}');
  if (existsSync(join(dir, ".terraform.lock.hcl")))
    files[".terraform.lock.hcl"] = readFileSync(join(dir, ".terraform.lock.hcl"));
  return zipSync(files);
}

/**
 * A workspace for `npm run plan` / `apply` / `adopt`: one output directory, one plugin cache,
 * mocked AWS accounts and a fake Terraform that writes a real plan archive on `plan -out` and
 * shows a fixed plan.
 */
export function planWorkspace(configFile: string) {
  const root = tempDir();
  const outdir = join(root, "cdktf.out");
  const summaryFile = join(root, "summary.md");
  const githubOutput = join(root, "github-output");
  const aws = mockedAccounts();
  const terraform: FakeTerraform = { calls: [], shows: fixture("first-apply.json") };
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
    if (args[0] === "init") writeFileSync(join(cwd, ".terraform.lock.hcl"), `# lock of ${stack}`);
    const out = args.find((a) => a.startsWith("-out="));
    if (out) writeFileSync(join(cwd, out.slice("-out=".length)), planArchive(cwd, `plan of ${stack}`));
    const code =
      args[0] === "plan" && args.includes("-detailed-exitcode")
        ? (terraform.planExit?.[stack.replace(/^stacks\//, "")] ?? 2)
        : 0;
    return { code, stdout: args[0] === "show" ? terraform.shows : "", stderr: "" };
  };
  type Runner = (argv: readonly string[], io: PlanIo) => Promise<number>;
  const invoke =
    (runner: Runner, withSummary: boolean) =>
    async (args: string[], extra: { isTTY?: boolean; answer?: string; env?: object } = {}) => {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const questions: string[] = [];
      const code = await runner(withSummary ? [...args, "--summary-file", summaryFile] : args, {
        env: { ...env, GITHUB_OUTPUT: githubOutput, ...extra.env },
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
  return {
    root,
    outdir,
    summaryFile,
    githubOutput,
    aws,
    terraform,
    command: invoke(runPlanCommand, true),
    apply: invoke(runApplyCommand, true),
    adopt: invoke(runAdoptCommand, false),
    stackDir: (stack: string) => join(outdir, "stacks", stack),
    fixture,
  };
}
