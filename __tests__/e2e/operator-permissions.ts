/**
 * The operator policies measured against the calls the commands really make: `npm run plan` (with
 * its existing-bucket check), `npm run apply`, and `npm run plan` again on what was applied (the
 * refresh a pull request's plan makes), as a user runs them, through a proxy in front of the
 * emulator that records every AWS call, Terraform's and the SDK's. Each call, mapped to what IAM
 * authorizes (iam-requests.ts), must be allowed by the policy `npm run operator-policy` prints
 * for its account and command, decided by iam-simulate.
 *
 * Two configs: the embedded default, and examples/kms.json with a permissions boundary on the
 * roles, config tags and alarms, so created keys, aliases, boundaries, tags on create, CloudWatch
 * and SNS are all called.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreatePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import type { AccountPolicies } from "../../lib/operator-policy/operator-policy";
import type { OperatorCommand } from "../../lib/operator-policy/permission";
import { allowedBy } from "../helpers/operator-decision";
import { run } from "./command";
import { type Emulator, startEmulator } from "./emulator";
import { type IamRequest, IamRequestMapper, UnmappedCall } from "./iam-requests";
import type { Outcome } from "./own-emulator";
import { type ProxiedCall, recordingProxy } from "./recording-proxy";
import { configCopy, npmRun } from "./safe-apply";
import { PROJECT_ROOT, prepare, type ScenarioOptions, type Stage } from "./scenario";

type Proof = (options: ScenarioOptions) => Promise<Outcome>;

const BOUNDARY_NAME = "replication-boundary";

/** The command steps, in order, and the policy each one runs under. */
const STEPS: ReadonlyArray<readonly [string, OperatorCommand, string[]]> = [
  ["plan", "plan", ["plan", "--replace-existing"]],
  ["apply", "apply", ["apply", "--auto-approve"]],
  ["plan again", "plan", ["plan", "--replace-existing"]],
];

/** examples/kms.json with what makes every kind of call: a boundary, tags, RTC alarms and a topic. */
function kmsWithEverything(dir: string): string {
  const file = configCopy(join(PROJECT_ROOT, "examples", "kms.json"), dir);
  const config = JSON.parse(readFileSync(file, "utf8"));
  const source = config.accounts[config.replications[0].source.account].accountId;
  config.tags = { team: "storage" };
  config.replications[0].role = { permissionsBoundary: `arn:aws:iam::${source}:policy/${BOUNDARY_NAME}` };
  config.replications[0].rules[0].replicationTime = { minutes: 15 };
  config.replications[0].monitoring = { latencyThresholdSeconds: 900, email: "storage-oncall@example.com" };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The boundary policy the config names must exist before a role can carry it. */
async function createBoundary(stage: Stage, emulator: Emulator): Promise<void> {
  const account = stage.model.replications[0].source.account.accountId;
  const key = stage.world.keys.get(account);
  if (!key) throw new Error(`no emulator account ${account}`);
  const iam = new IAMClient({ region: "us-east-1", endpoint: emulator.endpoint, credentials: key });
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: BOUNDARY_NAME,
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:*", "kms:*"], Resource: "*" }],
      }),
    }),
  );
}

/** The policies `npm run operator-policy -- --json` prints for the config. */
export async function generatedPolicies(stage: Stage, config: string): Promise<AccountPolicies[]> {
  const printed = await run("node", [join(PROJECT_ROOT, "dist", "operator-policy.js"), "--json"], {
    cwd: PROJECT_ROOT,
    env: { ...stage.world.env, REPLICATION_CONFIG: config, CDKTF_OUTDIR: join(stage.dir, "operator-policy.out") },
  });
  if (printed.code !== 0) throw new Error(`operator-policy failed (exit ${printed.code}): ${printed.stderr}`);
  return (JSON.parse(printed.stdout) as { accounts: AccountPolicies[] }).accounts;
}

/** The IAM requests of recorded calls; a call the mapper does not know is a problem of `step`. */
export function requestsOf(
  mapper: IamRequestMapper,
  calls: readonly ProxiedCall[],
  step: string,
  problems: string[],
): IamRequest[] {
  return calls.flatMap((call) => {
    try {
      return mapper.map(call);
    } catch (error) {
      if (!(error instanceof UnmappedCall)) throw error;
      problems.push(`${step}: ${error.message}`);
      return [];
    }
  });
}

/** The policy `command` gets in the request's account. */
export function policyOf(accounts: readonly AccountPolicies[], request: IamRequest, command: OperatorCommand) {
  return accounts.find((a) => a.accountId === request.accountId)?.policies[command];
}

/** The stage with every AWS call through a recording proxy, and the mapper of those calls. */
export async function recordedStage(stage: Stage, emulator: Emulator) {
  const proxy = await recordingProxy(emulator.endpoint);
  const recorded: Stage = {
    ...stage,
    world: { ...stage.world, env: { ...stage.world.env, AWS_ENDPOINT_URL: proxy.url } },
  };
  const mapper = new IamRequestMapper(new Map([...stage.world.keys].map(([id, key]) => [key.accessKeyId, id])));
  return { proxy, recorded, mapper };
}

function recordedProof(name: string, configOf: (dir: string) => string, boundary: boolean): Proof {
  return async (options) => {
    const emulator = await startEmulator();
    try {
      const dir = join(options.workDir, name);
      mkdirSync(dir, { recursive: true });
      const stage = await prepare(emulator, configOf(dir), dir, options.providerVersion, options.mirror);
      const config = stage.configFile;
      if (boundary) await createBoundary(stage, emulator);
      const accounts = await generatedPolicies(stage, config);
      const { proxy, recorded, mapper } = await recordedStage(stage, emulator);
      const problems: string[] = [];
      const counts: string[] = [];
      const actions = new Set<string>();
      try {
        for (const [step, command, args] of STEPS) {
          const result = await npmRun(recorded, config, args);
          const calls = proxy.take();
          if (result.code !== 0) problems.push(`${step} exited ${result.code}: ${result.stderr.trim().slice(-300)}`);
          counts.push(`${step} ${calls.length} calls`);
          for (const request of requestsOf(mapper, calls, step, problems)) {
            actions.add(request.action);
            if (!(await allowedBy(policyOf(accounts, request, command), request))) {
              problems.push(`${step}: ${request.action} on ${request.resource} in ${request.accountId} denied`);
            }
          }
        }
      } finally {
        await proxy.close();
      }
      const distinct = [...new Set(problems)];
      return distinct.length === 0
        ? { passed: true, result: `${counts.join(", ")}: every one allowed (${actions.size} distinct IAM actions)` }
        : { passed: false, result: `${distinct.length} problems: ${distinct.join("; ")}` };
    } finally {
      await emulator.stop();
    }
  };
}

/** Id, what it proves, and the proof, as in proofs.ts. */
export const OPERATOR_PERMISSION_PROOFS: ReadonlyArray<readonly [string, string, Proof]> = [
  [
    "proof-operator-permissions",
    "every call of plan, apply, plan again allowed by the generated operator policy (default config)",
    recordedProof(
      "proof-operator-permissions",
      (dir) => configCopy(join(PROJECT_ROOT, "replication.config.json"), dir),
      false,
    ),
  ],
  [
    "proof-operator-permissions-kms",
    "the same with created keys, a permissions boundary, tags and alarms (examples/kms.json)",
    recordedProof("proof-operator-permissions-kms", kmsWithEverything, true),
  ],
];
