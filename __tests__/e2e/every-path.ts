/**
 * The paths besides `npm run plan`, against the emulator, with the guard the stacks carry
 * (lib/constructs/existing-policy-guard.ts), on the default config, whose destination bucket
 * starts with a statement of its own (world.ts):
 * - proof-policy-guard, plain Terraform on the synthesized JSON: the first plan warns naming the
 *   statement the apply would remove; after the apply no warning (only the guard's read is
 *   planned); a statement added out of band is named; a bucket without a policy is said to have
 *   none, never a statement to remove.
 * - proof-cdktf-cli, the real cdktf CLI (cdktf-cli 0.21.0): `cdktf synth`, `diff` and `deploy`
 *   each run right after a stack left the config, with its directory still in the output, and
 *   succeed the first time; `diff` shows the guard's warning, `deploy --auto-approve` applies.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { type CommandResult, run } from "./command";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { Checks, s3Of } from "./safe-apply";
import { changesBesidesGuard, PROJECT_ROOT, type ScenarioOptions, type Stage, step, synth } from "./scenario";
import { PREEXISTING_SID } from "./world";

const DEFAULT_CONFIG = join(PROJECT_ROOT, "replication.config.json");
const FAILED_CHECK = "Warning: Check block assertion failed";
const NO_POLICY = "Policy: couldn't find resource";

type Proof = (options: ScenarioOptions) => Promise<Outcome>;

/** The guard's words for a statement the apply would remove (lib/constructs/existing-policy-guard.ts). */
const names = (bucket: string, sid: string) =>
  `The bucket policy of ${bucket} has statements this stack does not write (Sid ${sid})`;

/** Terraform wraps long warnings: compare text with every run of whitespace as one space. */
const flat = (result: CommandResult) => `${result.stdout}\n${result.stderr}`.replace(/\s+/g, " ");

const plan = (stage: Stage, stack: string) =>
  stage.terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode", "-lock=false"], stage.stackDir(stack));

async function destinationPolicy(stage: Stage) {
  const destination = stage.model.replications[0].destinations[0];
  const s3 = s3Of(stage, destination.account.accountId, destination.region);
  const bucket = destination.bucket;
  return {
    bucket,
    add: async (sid: string) => {
      const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      const policy = JSON.parse(Policy ?? "{}");
      policy.Statement.push({
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${destination.account.accountId}:root` },
        Action: "s3:GetObject",
        Resource: `${destination.arn}/*`,
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    },
    remove: () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
  };
}

const policyGuard: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-policy-guard", async (stage) => {
    const [stack] = stage.order;
    const cwd = stage.stackDir(stack);
    const check = new Checks();
    const policy = await destinationPolicy(stage);
    await step(`${stack}: init`, stage.terraform(["init", "-input=false", "-no-color"], cwd));

    const first = await stage.terraform(["plan", "-input=false", "-no-color", "-out=e2e.tfplan"], cwd);
    check.that(
      `first plan: warns naming Sid ${PREEXISTING_SID}`,
      first.code === 0 &&
        flat(first).includes(FAILED_CHECK) &&
        flat(first).includes(names(policy.bucket, PREEXISTING_SID)),
      flat(first).slice(-600),
    );
    await step(`${stack}: apply`, stage.terraform(["apply", "-input=false", "-no-color", "e2e.tfplan"], cwd));

    const after = await plan(stage, stack);
    check.that(
      "after the apply: no warning, nothing to change but the guard's read (exit 2)",
      after.code === 2 && !flat(after).includes("Warning:") && changesBesidesGuard(after).length === 0,
      `exit ${after.code}: ${changesBesidesGuard(after).join("; ")} ${flat(after).slice(-300)}`,
    );

    await policy.add("AddedOutOfBand");
    const drifted = await plan(stage, stack);
    check.that(
      "a statement added out of band: warns naming it, and the plan updates the policy",
      flat(drifted).includes(names(policy.bucket, "AddedOutOfBand")) &&
        changesBesidesGuard(drifted).some((l) => l.includes("aws_s3_bucket_policy.") && l.includes("updated in-place")),
      flat(drifted).slice(-600),
    );

    await policy.remove();
    const none = await plan(stage, stack);
    check.that(
      "a bucket without a policy: says the policy is not there, names no statement",
      flat(none).includes(`reading S3 Bucket (${policy.bucket}) ${NO_POLICY}`) && !flat(none).includes(FAILED_CHECK),
      flat(none).slice(-600),
    );
    return check.outcome();
  });

/** The cdktf CLI as cdktf.json runs it, minus the bundling step the e2e already ran once. */
function cdktf(stage: Stage, args: string[]): Promise<CommandResult> {
  const { app } = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as { app: string };
  const build = "npm run --silent build && ";
  if (!app.startsWith(build)) throw new Error(`cdktf.json's app no longer starts with "${build}": ${app}`);
  return run(
    join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"),
    // No registry here: `terraform providers lock` cannot fetch; the mirror installs the provider.
    [...args, "--app", app.slice(build.length), "--output", join(stage.dir, "cdktf.out"), "--no-color"],
    { cwd: PROJECT_ROOT, env: { ...stage.world.env, REPLICATION_CONFIG: stage.configFile } },
  );
}

/** The default config plus a second source bucket: its stack's directory goes stale when it leaves. */
async function leaveStaleStack(stage: Stage): Promise<string> {
  const config = JSON.parse(readFileSync(stage.configFile, "utf8"));
  const second = structuredClone(config.replications[0]);
  second.source.bucket = "my-app-logs-prod";
  second.role.name = "S3ReplicationLogs";
  second.rules[0].destination.bucket = "my-app-logs-backup";
  config.replications.push(second);
  config.$schema = undefined;
  const file = join(stage.dir, "two-stacks.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  await step("synth (two stacks)", synth(file, join(stage.dir, "cdktf.out"), stage.world.env));
  const stale = join(stage.dir, "cdktf.out", "stacks", "replication-my-app-logs-prod");
  if (!existsSync(stale)) throw new Error(`synth of two stacks did not write ${stale}`);
  return stale;
}

const cdktfCli: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-cdktf-cli", async (stage) => {
    const [stack] = stage.order;
    const check = new Checks();
    const once = async (command: string[], then: (result: CommandResult) => void) => {
      const stale = await leaveStaleStack(stage);
      const result = await cdktf(stage, command);
      check.that(
        `cdktf ${command[0]} after a stack left the config: exit 0, its directory removed`,
        result.code === 0 && !existsSync(stale) && !flat(result).includes("ENOENT"),
        `exit ${result.code}: ${flat(result).slice(-400)}`,
      );
      then(result);
    };
    await once(["synth"], () => {});
    await once(["diff", stack, "--skip-provider-lock"], (diff) =>
      check.that(
        `cdktf diff: warns naming Sid ${PREEXISTING_SID}`,
        flat(diff).includes(FAILED_CHECK) && flat(diff).includes(`(Sid ${PREEXISTING_SID})`),
      ),
    );
    await once(["deploy", stack, "--skip-provider-lock", "--auto-approve"], (deploy) =>
      check.that("cdktf deploy --auto-approve: applied", flat(deploy).includes("Apply complete!")),
    );
    return check.outcome();
  });

/** Id, what it proves, and the proof, as in proofs.ts. */
export const EVERY_PATH_PROOFS: ReadonlyArray<readonly [string, string, Proof]> = [
  ["proof-policy-guard", "terraform plan: the guard before, after and out of band, and without a policy", policyGuard],
  ["proof-cdktf-cli", "cdktf synth, diff and deploy right after a stack left the config", cdktfCli],
];
