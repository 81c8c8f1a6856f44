/**
 * `npm run operator-policy [-- --json] [-- --account <name>] [-- --command <command>]`: the IAM
 * policies whoever runs plan, apply, doctor, backfill and status needs, per account, for the
 * current config. Synthesizes first (quietly): plan and apply's policies come from the stacks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCheckedConfig } from "../checked-model";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv } from "../config/loader";
import { type AccountPolicies, operatorPolicies } from "../operator-policy/operator-policy";
import { OPERATOR_COMMANDS, type OperatorCommand } from "../operator-policy/permission";
import { terraformPermissions, UnknownResourceError } from "../operator-policy/terraform-permissions";
import { toJson } from "../policies/policy-document";
import { answerStandardFlags, EXIT } from "./conventions";
import { runSynth } from "./synth";

export const OPERATOR_POLICY_USAGE = `usage: npm run operator-policy [-- --json] [-- --account <name>] [-- --command <command>]

Prints the least-privilege IAM policy each command needs in each account of the config: plan and
apply (Terraform's reads and writes of the resources the stacks contain, and the state objects),
doctor (with --canary), backfill and status. Attach each to the role or user that runs that
command in that account: a workstation profile or a pipeline's role.
  --json               print {"accounts": [{account, accountId, policies: {command: policy}, notes: {command: [text]}}]}
  --account <name>     only this account (its name in the config, or its id)
  --command <command>  only this command: ${OPERATOR_COMMANDS.join(", ")}
  --version            print the version
Exit codes: 0 printed, 2 bad arguments or config.`;

export interface OperatorPolicyIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function stacksOf(outdir: string) {
  const dir = join(outdir, "stacks");
  return readdirSync(dir)
    .sort()
    .map((name) => terraformPermissions(JSON.parse(readFileSync(join(dir, name, "cdk.tf.json"), "utf8"))));
}

function text(accounts: readonly AccountPolicies[]): string {
  return accounts
    .flatMap(({ account, accountId, policies, notes }) =>
      Object.entries(policies).map(([command, policy]) =>
        [
          `# ${command} in account ${account} (${accountId})`,
          ...(notes[command as OperatorCommand] ?? []).map((note) => `# NOTE ${note}`),
          toJson(policy),
        ].join("\n"),
      ),
    )
    .join("\n\n");
}

export function runOperatorPolicyCommand(argv: string[], io: OperatorPolicyIo): number {
  const answered = answerStandardFlags(argv, io, OPERATOR_POLICY_USAGE);
  if (answered !== undefined) return answered;
  let values: { json?: boolean; account?: string; command?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, account: { type: "string" }, command: { type: "string" } },
    }));
  } catch (error) {
    io.stderr(`operator-policy: ${(error as Error).message}\n\n${OPERATOR_POLICY_USAGE}`);
    return EXIT.usage;
  }
  const command = values.command as OperatorCommand | undefined;
  if (command && !OPERATOR_COMMANDS.includes(command)) {
    io.stderr(`operator-policy: unknown command "${command}": use one of ${OPERATOR_COMMANDS.join(", ")}`);
    return EXIT.usage;
  }
  if (runSynth({ env: io.env, stdout: io.stderr, stderr: io.stderr, quiet: true }) !== 0) return EXIT.usage;
  try {
    const model = loadCheckedConfig(configFileFromEnv(io.env), io.env);
    let accounts = operatorPolicies(model, stacksOf(io.env.CDKTF_OUTDIR || "cdktf.out"));
    if (values.account) {
      const wanted = values.account;
      accounts = accounts.filter((a) => a.account === wanted || a.accountId === wanted);
      if (accounts.length === 0) {
        io.stderr(`operator-policy: no account "${wanted}" in the config`);
        return EXIT.usage;
      }
    }
    if (command) {
      accounts = accounts.map((a) => ({
        ...a,
        policies: command in a.policies ? { [command]: a.policies[command] } : {},
        notes: command in a.notes ? { [command]: a.notes[command] } : {},
      }));
    }
    io.stdout(values.json ? JSON.stringify({ accounts }, null, 2) : text(accounts));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UnknownResourceError) {
      io.stderr(`operator-policy: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
