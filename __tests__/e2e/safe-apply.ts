/**
 * `npm run plan` / `npm run apply` / `npm run adopt` as a user runs them, against the emulator:
 * - takeover: a destination bucket with a policy statement and a source bucket with another
 *   team's replication rule; the plan says what the apply would remove and refuses; adopt keeps
 *   the statement; the apply keeps it on the bucket;
 * - apply refusals: no approval, a changed synth, a prerequisite stack not applied, each leaving
 *   the accounts untouched; then the reviewed plans apply in order.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutBucketReplicationCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { sortedKeysJson } from "../../lib/canonical-json";
import type { Json } from "../helpers/loose-json";
import { type CommandResult, run } from "./command";
import { startEmulator } from "./emulator";
import { withoutFaults } from "./own-emulator";
import { PROJECT_ROOT, prepare, type ScenarioOptions, type Stage } from "./scenario";
import { snapshot } from "./snapshot";
import { PREEXISTING_SID } from "./world";

type Proof = (options: ScenarioOptions) => Promise<{ passed: boolean; result: string }>;

/** A copy of a config the proof may edit, beside its work directory. */
export function configCopy(from: string, dir: string): string {
  const raw = JSON.parse(readFileSync(from, "utf8"));
  raw.$schema = undefined;
  const file = join(dir, "replication.config.json");
  writeFileSync(file, JSON.stringify(raw, null, 2));
  return file;
}

/** `npm run <script> -- <args>`'s entry (plan, apply, stacks, adopt), as the user runs it, on the stage's output directory. */
export function npmRun(
  stage: Stage,
  configFile: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  return run("node", [join(PROJECT_ROOT, "dist", "plan.js"), ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...stage.world.env,
      ...env,
      REPLICATION_CONFIG: configFile,
      CDKTF_OUTDIR: join(stage.dir, "cdktf.out"),
      TF_PLUGIN_CACHE_DIR: join(stage.dir, "plugin-cache"),
    },
  });
}

export function s3Of(stage: Stage, account: string, region: string): S3Client {
  const key = stage.world.keys.get(account);
  if (!key) throw new Error(`no emulator account ${account}`);
  return new S3Client({
    region,
    endpoint: stage.world.env.AWS_ENDPOINT_URL,
    forcePathStyle: true,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
  });
}

const OTHER_RULE = "other-team-copy";

/** Checks: each a description and whether it held. */
export class Checks {
  private readonly failed: string[] = [];
  private readonly held: string[] = [];
  that(what: string, ok: boolean, detail = ""): void {
    (ok ? this.held : this.failed).push(ok ? what : `${what}${detail ? `: ${detail}` : ""}`);
  }
  outcome(): { passed: boolean; result: string } {
    return this.failed.length === 0
      ? { passed: true, result: this.held.join("; ") }
      : { passed: false, result: `FAILED: ${this.failed.join("; ")}` };
  }
}

const takeover: Proof = async (options) => {
  const emulator = await startEmulator();
  try {
    const dir = join(options.workDir, "proof-takeover");
    const stage = await prepare(
      emulator,
      join(PROJECT_ROOT, "replication.config.json"),
      dir,
      options.providerVersion,
      options.mirror,
    );
    const config = configCopy(stage.configFile, dir);
    const replication = stage.model.replications[0];
    const { source } = replication;
    const s3 = s3Of(stage, source.account.accountId, source.region);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: source.bucket, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: source.bucket,
        ReplicationConfiguration: {
          Role: `arn:aws:iam::${source.account.accountId}:role/other-team`,
          Rules: [
            {
              ID: OTHER_RULE,
              Priority: 9,
              Status: "Enabled",
              Filter: { Prefix: "other/" },
              DeleteMarkerReplication: { Status: "Disabled" },
              Destination: { Bucket: "arn:aws:s3:::other-team-bucket" },
            },
          ],
        },
      }),
    );
    const check = new Checks();
    const before = await snapshot(emulator, stage.world);

    const refused = await npmRun(stage, config, ["plan"]);
    check.that("plan refused (exit 1)", refused.code === 1, `exit ${refused.code}: ${refused.stderr.slice(-400)}`);
    check.that(
      `summary names Sid ${PREEXISTING_SID} with its text`,
      refused.stdout.includes(`statement Sid \`${PREEXISTING_SID}\``) &&
        refused.stdout.includes(`"Sid": "${PREEXISTING_SID}"`),
    );
    check.that(`summary names rule ${OTHER_RULE}`, refused.stdout.includes(`rule \`${OTHER_RULE}\``));
    const untouched = await snapshot(emulator, stage.world);
    check.that("nothing written by the refused plan", sortedKeysJson([...before]) === sortedKeysJson([...untouched]));

    const adopted = await npmRun(stage, config, ["adopt"]);
    const kept = JSON.parse(readFileSync(config, "utf8")).replications[0].destinationPolicies?.[
      replication.destinations[0].bucket
    ]?.additionalStatements as Json[] | undefined;
    check.that(
      "adopt copied the statement into the config",
      kept?.some((s) => s.Sid === PREEXISTING_SID) === true,
      `exit ${adopted.code}: ${adopted.stderr}`,
    );
    check.that("adopt lists the rule it cannot adopt", adopted.stderr.includes(`replication rule ${OTHER_RULE}`));

    const raw = JSON.parse(readFileSync(config, "utf8"));
    raw.replications[0].replaceExistingRules = true;
    writeFileSync(config, JSON.stringify(raw, null, 2));
    const planned = await npmRun(stage, config, ["plan"]);
    check.that("plan after adopt and replaceExistingRules", planned.code === 0, planned.stderr.slice(-600));
    check.that(
      "the summary still lists the rule that goes",
      planned.stdout.includes(`replication configuration of \`${source.bucket}\`: rule \`${OTHER_RULE}\``),
    );
    check.that("no statement is listed as removed", !planned.stdout.includes("bucket policy of"));

    const applied = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that("apply", applied.code === 0, applied.stderr.slice(-600));
    const after = await snapshot(emulator, stage.world);
    const destination = replication.destinations[0];
    const bucket = after.get(destination.account.accountId)?.buckets.find((b) => b.name === destination.bucket);
    const sids = ((bucket?.policy?.Statement ?? []) as Json[]).map((s) => s.Sid);
    check.that(
      "the bucket keeps its statement beside the replication grant",
      sids.includes(PREEXISTING_SID) && sids.length > 1,
      JSON.stringify(sids),
    );
    const rules = (after.get(source.account.accountId)?.buckets.find((b) => b.name === source.bucket)?.replication
      ?.Rules ?? []) as Json[];
    check.that(
      "the source's rules are the config's",
      JSON.stringify(rules.map((r) => r.ID)) === JSON.stringify(replication.rules.map((r) => r.id)),
      JSON.stringify(rules.map((r) => r.ID)),
    );
    return withoutFaults(check.outcome(), emulator);
  } finally {
    await emulator.stop();
  }
};

const applyRefusals: Proof = async (options) => {
  const emulator = await startEmulator();
  try {
    const dir = join(options.workDir, "proof-apply-refusals");
    const stage = await prepare(
      emulator,
      join(PROJECT_ROOT, "examples", "two-way.json"),
      dir,
      options.providerVersion,
      options.mirror,
    );
    const config = configCopy(stage.configFile, dir);
    const [first, second] = stage.order;
    const check = new Checks();
    const planned = await npmRun(stage, config, ["plan", "--replace-existing"]);
    check.that("both stacks planned", planned.code === 0, planned.stderr.slice(-600));
    const before = await snapshot(emulator, stage.world);
    const unchanged = async () =>
      sortedKeysJson([...before]) === sortedKeysJson([...(await snapshot(emulator, stage.world))]);

    const unapproved = await npmRun(stage, config, ["apply"]);
    check.that(
      "no approval: refused, nothing written",
      unapproved.code === 2 &&
        unapproved.stderr.includes("there is no terminal to ask for approval; pass --auto-approve") &&
        (await unchanged()),
      unapproved.stderr,
    );

    const early = await npmRun(stage, config, ["apply", "--auto-approve", second]);
    check.that(
      `${second} alone: refused naming ${first}, nothing written`,
      early.code === 2 && early.stderr.includes(`${second}: apply ${first} first`) && (await unchanged()),
      early.stderr,
    );

    const raw = JSON.parse(readFileSync(config, "utf8"));
    raw.replications[0].rules[0].priority = 2;
    writeFileSync(config, JSON.stringify(raw, null, 2));
    const changed = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that(
      "changed synth: refused, nothing written",
      changed.code === 2 &&
        changed.stderr.includes(`${first}: the synthesized JSON changed since the plan`) &&
        (await unchanged()),
      changed.stderr,
    );

    raw.replications[0].rules[0].priority = 1;
    writeFileSync(config, JSON.stringify(raw, null, 2));
    const applied = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that("the reviewed plans apply, in order", applied.code === 0, applied.stderr.slice(-600));
    const again = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that("a spent plan is not applied twice", again.code === 2 && again.stderr.includes("no saved plan"));
    return withoutFaults(check.outcome(), emulator);
  } finally {
    await emulator.stop();
  }
};

/** Id, what it proves, and the proof, as in proofs.ts. */
export const SAFE_APPLY_PROOFS: ReadonlyArray<readonly [string, string, Proof]> = [
  ["proof-takeover", "npm run plan: an existing policy statement and replication rule", takeover],
  ["proof-apply-refusals", "npm run apply: no approval, prerequisite not applied, changed synth", applyRefusals],
];
