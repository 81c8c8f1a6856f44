/**
 * What a reviewer approves is what is applied, with `npm run plan` / `apply` / `adopt` as a user
 * runs them, against the emulator:
 * - rule change: after a first apply, a rule changes (delete markers, prefix, destination): the
 *   summary shows each field before and after, keyed by rule id, with a warning for the new
 *   destination (the summary is kept as rule-change-summary.md in the work directory);
 * - changed rule: the source bucket has a rule with the config's id but another destination:
 *   the plan is refused, listing before and after, and nothing is written; with
 *   replaceExistingRules it plans, showing the bucket's rule as the before (proof-takeover in
 *   safe-apply.ts applies such a plan);
 * - bound apply: a plan file holding another configuration, next to a record whose hashes were
 *   recomputed, is refused with nothing written, and so is a swapped artifact when the plan
 *   job's hashes are given, and a -destroy plan of the same configuration; the reviewed plan
 *   then applies.
 */

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutBucketReplicationCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { unzipSync, zipSync } from "fflate";
import { sortedKeysJson } from "../../lib/canonical-json";
import { PLAN_FILE, PLAN_RECORD_FILE } from "../../lib/plan/saved-plan";
import type { Json } from "../helpers/loose-json";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { Checks, configCopy, npmRun, s3Of } from "./safe-apply";
import { PROJECT_ROOT, type ScenarioOptions, step } from "./scenario";
import { snapshot } from "./snapshot";

type Proof = (options: ScenarioOptions) => Promise<Outcome>;

const DEFAULT_CONFIG = join(PROJECT_ROOT, "replication.config.json");
const RULE = "CrossAccountReplicationRule";

const tail = (text: string) => text.slice(-600);

/** The config's first rule, edited, written back. */
function editRule(file: string, edit: (rule: Json, replication: Json) => void): void {
  const raw = JSON.parse(readFileSync(file, "utf8"));
  edit(raw.replications[0].rules[0], raw.replications[0]);
  writeFileSync(file, JSON.stringify(raw, null, 2));
}

const ruleChange: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-rule-change", async (stage) => {
    const check = new Checks();
    const config = configCopy(stage.configFile, stage.dir);
    const first = await npmRun(stage, config, ["plan", "--replace-existing"]);
    check.that("first plan", first.code === 0, tail(first.stderr));
    const applied = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that("first apply", applied.code === 0, tail(applied.stderr));
    const destination = stage.model.replications[0].destinations[0];
    const s3 = s3Of(stage, destination.account.accountId, destination.region);
    const elsewhere = "my-app-data-elsewhere";
    await s3.send(
      new CreateBucketCommand({
        Bucket: elsewhere,
        CreateBucketConfiguration: { LocationConstraint: destination.region as never },
      }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: elsewhere, VersioningConfiguration: { Status: "Enabled" } }),
    );
    editRule(config, (rule) => {
      rule.deleteMarkerReplication = false;
      rule.filter = { prefix: "invoices/" };
      rule.destination.bucket = elsewhere;
    });
    const second = await npmRun(stage, config, ["plan"]);
    writeFileSync(join(options.workDir, "rule-change-summary.md"), second.stdout);
    check.that("second plan", second.code === 0, tail(second.stderr));
    const expected = [
      `**change \`aws_s3_bucket_replication_configuration.replication\`**`,
      "",
      `- rule \`${RULE}\` changes:`,
      "  - filter prefix: (none) → `invoices/`",
      `  - destination bucket: \`arn:aws:s3:::${destination.bucket}\` → \`arn:aws:s3:::${elsewhere}\``,
      "  - delete markers: `Enabled` → `Disabled`",
    ].join("\n");
    check.that("the rule's delete markers, prefix and destination, before and after", second.stdout.includes(expected));
    check.that(
      "a WARNING that the data now goes elsewhere",
      second.stdout.includes(`> **WARNING: rule \`${RULE}\` of`) &&
        second.stdout.includes("the data now goes elsewhere**"),
    );
    return check.outcome();
  });

const changedRule: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-changed-rule", async (stage, emulator) => {
    const check = new Checks();
    const config = configCopy(stage.configFile, stage.dir);
    const { source } = stage.model.replications[0];
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
              ID: RULE,
              Priority: 1,
              Status: "Enabled",
              Filter: { Prefix: "" },
              DeleteMarkerReplication: { Status: "Enabled" },
              Destination: { Bucket: "arn:aws:s3:::other-team-bucket", Account: "777788889999" },
            },
          ],
        },
      }),
    );
    const adopted = await npmRun(stage, config, ["adopt"]);
    check.that("the destination's statement adopted", adopted.code === 0, tail(adopted.stderr));
    const before = await snapshot(emulator, stage.world);
    const refused = await npmRun(stage, config, ["plan"]);
    check.that("plan refused (exit 1)", refused.code === 1, `exit ${refused.code}: ${tail(refused.stderr)}`);
    check.that(
      "the rule listed before and after",
      refused.stdout.includes(`rule \`${RULE}\` is rewritten:`) &&
        refused.stdout.includes(
          "  - destination bucket: `arn:aws:s3:::other-team-bucket` → `arn:aws:s3:::my-app-data-backup`",
        ),
      tail(refused.stdout),
    );
    check.that("no plan kept", !existsSync(join(stage.stackDir(stage.order[0]), PLAN_FILE)));
    check.that(
      "nothing written",
      sortedKeysJson([...before]) === sortedKeysJson([...(await snapshot(emulator, stage.world))]),
    );
    editRule(config, (_rule, replication) => {
      replication.replaceExistingRules = true;
    });
    const planned = await npmRun(stage, config, ["plan"]);
    check.that("planned with replaceExistingRules", planned.code === 0, tail(planned.stderr));
    check.that(
      "the summary shows the rule the bucket had as the before of the new configuration",
      planned.stdout.includes(`- rule \`${RULE}\` changes:`) &&
        planned.stdout.includes("keeps its id but replicates to another destination"),
      tail(planned.stdout),
    );
    return check.outcome();
  });

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * The saved plan file with another configuration inside it: the synthesized JSON with the role's
 * grants on the destination bucket given to another account. Terraform applies the
 * configuration a plan file holds, not the directory's.
 */
function foreignPlan(genuine: Buffer): Buffer {
  const entries = unzipSync(genuine);
  const name = "tfconfig/m-/cdk.tf.json";
  const json = Buffer.from(entries[name]).toString("utf8");
  entries[name] = Buffer.from(
    json.replace(/arn:aws:iam::111122223333:role\/S3CrossAccountReplicationRole/g, "arn:aws:iam::777788889999:root"),
  );
  return Buffer.from(zipSync(entries));
}

const boundApply: Proof = (options) =>
  onOwnEmulator(options, DEFAULT_CONFIG, "proof-bound-apply", async (stage, emulator) => {
    const [stack] = stage.order;
    const check = new Checks();
    const config = configCopy(stage.configFile, stage.dir);
    const outputs = join(stage.dir, "github-output");
    const planned = await npmRun(stage, config, ["plan", "--replace-existing"], { GITHUB_OUTPUT: outputs });
    check.that("plan", planned.code === 0, tail(planned.stderr));
    const hashes =
      readFileSync(outputs, "utf8")
        .split("\n")
        .find((l) => l.startsWith("plan-hashes="))
        ?.slice(12) ?? "";
    const dir = stage.stackDir(stack);
    const genuine = readFileSync(join(dir, PLAN_FILE));
    const genuineRecord = readFileSync(join(dir, PLAN_RECORD_FILE));
    const before = await snapshot(emulator, stage.world);
    const untouched = async () =>
      sortedKeysJson([...before]) === sortedKeysJson([...(await snapshot(emulator, stage.world))]);

    const foreign = foreignPlan(genuine);
    writeFileSync(join(dir, PLAN_FILE), foreign);
    const record = JSON.parse(genuineRecord.toString("utf8"));
    writeFileSync(join(dir, PLAN_RECORD_FILE), JSON.stringify({ ...record, planSha256: sha256(foreign) }, null, 2));
    const attack = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that(
      "a plan from another configuration, record recomputed: refused, nothing written",
      attack.code === 2 && attack.stderr.includes("was planned from another configuration") && (await untouched()),
      `exit ${attack.code}: ${tail(attack.stderr)}`,
    );
    const withHashes = await npmRun(stage, config, ["apply", "--auto-approve"], {
      REPLICATION_REVIEWED_PLAN_HASHES: hashes,
    });
    check.that(
      "the same artifact against the plan job's hashes: refused, nothing written",
      withHashes.code === 2 && withHashes.stderr.includes("not the ones the plan job made") && (await untouched()),
      `exit ${withHashes.code}: ${tail(withHashes.stderr)}`,
    );

    // The same configuration planned in another mode: its embedded configuration is the synth's.
    await step(
      "destroy plan",
      stage.terraform(["plan", "-destroy", "-input=false", "-no-color", "-lock=false", `-out=${PLAN_FILE}`], dir),
    );
    const destroying = readFileSync(join(dir, PLAN_FILE));
    writeFileSync(join(dir, PLAN_RECORD_FILE), JSON.stringify({ ...record, planSha256: sha256(destroying) }, null, 2));
    const destroy = await npmRun(stage, config, ["apply", "--auto-approve"]);
    check.that(
      "a -destroy plan of the same configuration, record recomputed: refused, nothing written",
      destroy.code === 2 && destroy.stderr.includes("makes other changes than the plan") && (await untouched()),
      `exit ${destroy.code}: ${tail(destroy.stderr)}`,
    );

    writeFileSync(join(dir, PLAN_FILE), genuine);
    writeFileSync(join(dir, PLAN_RECORD_FILE), genuineRecord);
    const applied = await npmRun(stage, config, ["apply", "--auto-approve"], {
      REPLICATION_REVIEWED_PLAN_HASHES: hashes,
    });
    check.that("the reviewed plan applies with the plan job's hashes", applied.code === 0, tail(applied.stderr));
    return check.outcome();
  });

/** Id, what it proves, and the proof, as in proofs.ts. */
export const REVIEWED_PLAN_PROOFS: ReadonlyArray<readonly [string, string, Proof]> = [
  ["proof-rule-change", "npm run plan: a rule's delete markers, prefix and destination change", ruleChange],
  ["proof-changed-rule", "npm run plan: a live rule with the config's id and another destination", changedRule],
  ["proof-bound-apply", "npm run apply: a plan from another configuration, a swapped artifact", boundApply],
];
