/**
 * proof-move-layout: two source buckets of one account, applied in the per-bucket layout, moved
 * to per-account with `npm run move -- --from per-bucket`, following the order it prints word for
 * word (each `terraform -chdir=<dir> init / plan -out / apply` it names). Between every step the
 * accounts are read back: versioning stays Enabled on every bucket, and at the end everything the
 * accounts hold (buckets with their policies, versioning, replication configuration and settings,
 * roles and their policies, keys, aliases, topics, alarms) is what the per-bucket apply left; only
 * the state bucket's objects differ. The new stacks' plans only import (no create, no destroy, no
 * replace; in-place updates only where IMPORT_UPDATES names them), the retirement directories'
 * plans only forget, the old states end empty, and second plans are empty on both sides.
 *
 * The config covers every resource type the stacks create: roles and role policies, versioning,
 * bucket policies, replication configurations, a created bucket with its public access block,
 * ownership controls and default encryption (acme-orders-dr), a created replica key and its alias
 * (examples/kms.json), and an SNS topic, its subscription and an alarm (examples/rtc-monitoring.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sortedKeysJson } from "../../lib/canonical-json";
import { deploymentOrder, readManifest } from "../../lib/plan/run-plan";
import type { Json } from "../helpers/loose-json";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { bucketState } from "./read-back";
import { npmRun } from "./safe-apply";
import { applyStack, PROJECT_ROOT, type ScenarioOptions, type Stage, secondPlan, step } from "./scenario";
import { type Snapshot, snapshot } from "./snapshot";
import { writeProviderOverride } from "./terraform";

type Raw = Record<string, any>;

const read = (file: string): Raw => {
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, "examples", file), "utf8"));
  config.$schema = undefined;
  return config;
};

/**
 * Two sources in account `prod`: acme-orders-prod (RTC monitoring, destination created by the
 * stack) and acme-payments-prod (KMS: an existing replica key and a created one).
 */
export function moveLayoutConfig(stackLayout: "per-bucket" | "per-account"): Raw {
  const config = read("rtc-monitoring.json");
  const [orders] = config.replications;
  orders.rules[0].destination.create = true;
  config.replications = [orders, ...read("kms.json").replications];
  config.stackLayout = stackLayout;
  return config;
}

/** Every resource type the stacks create (lib/constructs): the move imports each of them. */
const EVERY_TYPE = [
  "aws_cloudwatch_metric_alarm",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_kms_alias",
  "aws_kms_key",
  "aws_s3_bucket",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_replication_configuration",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
  "aws_sns_topic",
  "aws_sns_topic_subscription",
];

/** The per-account root both sources move into. */
const NEW_STACK = "replication-account-prod";
const STACK_TAG = "replication-stack";

/**
 * In-place updates an import may plan, by resource type, besides the stack tag (below): arguments
 * AWS does not hold, which the provider's importer leaves unset and the config sets, so the update
 * writes them into Terraform's state only (provider docs, each resource's Import section and
 * argument reference: force_destroy, deletion_window_in_days, bypass_policy_lockout_safety_check,
 * confirmation_timeout_in_minutes, endpoint_auto_confirms). Anything else fails the proof.
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/s3_bucket#force_destroy-1
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/kms_key#deletion_window_in_days-1
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/sns_topic_subscription#confirmation_timeout_in_minutes-1
 */
const IMPORT_UPDATES: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ["force_destroy"],
  aws_kms_key: ["bypass_policy_lockout_safety_check", "deletion_window_in_days"],
  aws_sns_topic_subscription: ["confirmation_timeout_in_minutes", "endpoint_auto_confirms"],
};

/**
 * The one tag a move changes in AWS: the provider's default tag naming the root that owns the
 * resource, now NEW_STACK (`tags` is what the import read, all of `tags_all`; the config sets none
 * of its own).
 */
function onlyStackTagChanges(change: ResourceChange["change"]): boolean {
  const before = (change.before?.tags_all ?? {}) as Record<string, string>;
  const after = (change.after?.tags_all ?? {}) as Record<string, string>;
  return sortedKeysJson(after) === sortedKeysJson({ ...before, [STACK_TAG]: NEW_STACK });
}

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly importing?: { readonly id: string };
    readonly before?: Json;
    readonly after?: Json;
  };
}

/** Top-level attributes a change writes. */
function changedAttributes(change: ResourceChange["change"]): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  return Object.keys({ ...before, ...after })
    .filter((k) => sortedKeysJson(before[k]) !== sortedKeysJson(after[k]))
    .sort();
}

const isGuardRead = (c: ResourceChange) =>
  c.action_reason === "read_because_check_nested" && sortedKeysJson(c.change.actions) === sortedKeysJson(["read"]);

/** What in a new stack's plan is not an import (no-op, or an update IMPORT_UPDATES allows). */
function notImports(changes: readonly ResourceChange[]): string[] {
  return changes.flatMap((c) => {
    if (isGuardRead(c)) return [];
    const actions = c.change.actions.join("+");
    if (!c.change.importing) return actions === "no-op" ? [] : [`${c.address}: ${actions} (not an import)`];
    if (actions === "no-op") return [];
    const attributes = changedAttributes(c.change);
    const allowed = [...(IMPORT_UPDATES[c.type] ?? []), ...(onlyStackTagChanges(c.change) ? ["tags", "tags_all"] : [])];
    if (actions === "update" && attributes.every((a) => allowed.includes(a))) return [];
    return [`${c.address}: import and ${actions} of ${attributes.join(", ")}`];
  });
}

/** What in a retirement directory's plan is not a forget. */
const notForgets = (changes: readonly ResourceChange[]): string[] =>
  changes
    .filter((c) => c.change.actions.join("+") !== "forget")
    .map((c) => `${c.address}: ${c.change.actions.join("+")} (not a forget)`);

/** The `terraform -chdir=<dir> <args>` commands of the printed order, in order. */
export function printedCommands(lines: readonly string[]): Array<{ dir: string; args: string[] }> {
  const commands: Array<{ dir: string; args: string[] }> = [];
  for (const line of lines.filter((l) => /^\s+[12]\. /.test(l))) {
    for (const m of line.matchAll(/terraform -chdir=(\S+) (init|plan -out=[^\s:]+|apply [^\s;]+)/g)) {
      commands.push({ dir: m[1], args: m[2].split(" ") });
    }
  }
  return commands;
}

/** The config's buckets, as (account id, bucket). */
function bucketsOf(stage: Stage): Array<[string, string]> {
  return stage.model.replications.flatMap((r) =>
    [r.source, ...r.destinations].map((b): [string, string] => [b.account.accountId, b.bucket]),
  );
}

/**
 * The accounts as text, without the state bucket's objects (the move rewrites the states), and
 * with each stack tag naming NEW_STACK when `moved` (the one change the move makes in AWS).
 */
function comparable(live: Snapshot, stateBucket: string, moved: boolean): string {
  const text = sortedKeysJson(
    [...live].map(([account, state]) => [
      account,
      { ...state, buckets: state.buckets.map((b) => (b.name === stateBucket ? { ...b, objects: {} } : b)) },
    ]),
  );
  return moved ? text.replace(/"replication-stack":"[^"]*"/g, `"${STACK_TAG}":"${NEW_STACK}"`) : text;
}

export const moveLayout = async (options: ScenarioOptions): Promise<Outcome> => {
  const dir = join(options.workDir, "proof-move-layout");
  mkdirSync(dir, { recursive: true });
  const perBucket = join(dir, "per-bucket.json");
  const perAccount = join(dir, "replication.config.json");
  writeFileSync(perBucket, JSON.stringify(moveLayoutConfig("per-bucket"), null, 2));
  writeFileSync(perAccount, JSON.stringify(moveLayoutConfig("per-account"), null, 2));
  return onOwnEmulator(options, perBucket, "proof-move-layout", async (stage, emulator) => {
    const problems: string[] = [];
    const buckets = bucketsOf(stage);
    const readBack = async (when: string): Promise<Snapshot> => {
      const live = await snapshot(emulator, stage.world);
      for (const [account, bucket] of buckets) {
        const versioning = bucketState(live, account, bucket)?.versioning;
        if (versioning !== "Enabled") problems.push(`${when}: ${bucket} versioning ${versioning}`);
      }
      return live;
    };
    for (const stack of stage.order) await applyStack(stage, stack);
    const applied = await readBack("per-bucket applied");

    const moveDir = join(dir, "move");
    const moved = await npmRun(stage, perAccount, ["move", "--from", "per-bucket", "--out", moveDir]);
    if (moved.code !== 0) return { passed: false, result: `npm run move exit ${moved.code}: ${moved.stderr.trim()}` };
    await readBack("after npm run move");
    const lines = moved.stdout.split("\n");
    const commands = printedCommands(lines);
    // The harness's provider-version override (terraform.ts), as beside every stack it runs: the
    // retirement directories carry the old stacks' own; the import directories are fresh synths.
    for (const cwd of new Set(commands.map((c) => c.dir).filter((d) => !d.includes("/retire-")))) {
      writeProviderOverride(cwd, options.providerVersion);
    }
    let imported = 0;
    let forgotten = 0;
    const importedTypes = new Set<string>();
    for (const { dir: cwd, args } of commands) {
      const what = `${cwd.slice(moveDir.length + 1)}: ${args.join(" ")}`;
      await step(what, stage.terraform([args[0], "-input=false", "-no-color", ...args.slice(1)], cwd));
      if (args[0] === "plan") {
        const planFile = args[1].replace("-out=", "");
        const shown = await step(`${what}: show`, stage.terraform(["show", "-json", planFile], cwd));
        const changes = (JSON.parse(shown.stdout).resource_changes ?? []) as ResourceChange[];
        const other = planFile === "move.tfplan" ? notImports(changes) : notForgets(changes);
        // As the printed order says: stop if a plan shows anything else, before its apply.
        if (other.length > 0) return { passed: false, result: `${what}: ${other.join("; ")}` };
        if (planFile === "move.tfplan") {
          const imports = changes.filter((c) => c.change.importing);
          imported += imports.length;
          for (const c of imports) importedTypes.add(c.type);
        } else {
          forgotten += changes.length;
        }
      }
      await readBack(what);
    }
    const retired = [...new Set(commands.map((c) => c.dir).filter((d) => d.includes("/retire-")))];
    for (const cwd of retired) {
      const left = await step(`${cwd}: state list`, stage.terraform(["state", "list"], cwd));
      if (left.stdout.trim() !== "") problems.push(`${cwd}: the old state still holds ${left.stdout.trim()}`);
    }
    const after = await readBack("after the move");
    const stateBucket = String(JSON.parse(readFileSync(perAccount, "utf8")).backend.bucket);
    if (comparable(applied, stateBucket, true) !== comparable(after, stateBucket, false)) {
      problems.push(
        `the accounts differ from what the per-bucket apply left, besides the state bucket's objects and the ${STACK_TAG} tag`,
      );
    }

    const outdir = join(stage.dir, "cdktf.out");
    const manifest: Json = readManifest(outdir);
    const newStacks = deploymentOrder(manifest, Object.keys(manifest.stacks ?? {}));
    if (sortedKeysJson(newStacks) !== sortedKeysJson([NEW_STACK]))
      problems.push(`per-account stacks ${newStacks.join(", ")}`);
    for (const stack of newStacks) {
      writeProviderOverride(stage.stackDir(stack), options.providerVersion);
      await step(`${stack}: init`, stage.terraform(["init", "-input=false", "-no-color"], stage.stackDir(stack)));
      problems.push(...(await secondPlan(stage, stack)));
    }
    const inMoveDir = { ...stage, stackDir: (d: string) => join(moveDir, d) };
    for (const cwd of retired) problems.push(...(await secondPlan(inMoveDir, cwd.slice(moveDir.length + 1))));

    const missing = EVERY_TYPE.filter((t) => !importedTypes.has(t));
    if (missing.length > 0) problems.push(`not imported: ${missing.join(", ")}`);
    const summary = `${stage.order.length} per-bucket stacks -> ${newStacks.join(", ")}: ${imported} imported, ${forgotten} forgotten, ${commands.length} printed commands run`;
    return {
      passed: problems.length === 0 && imported > 0 && imported === forgotten,
      result:
        problems.length === 0
          ? `${summary}; versioning Enabled at every step, accounts unchanged but for the ${STACK_TAG} tag (policies, replication, roles, keys, alarms), old states empty, second plans empty`
          : `${summary}; ${problems.join("; ")}`,
    };
  });
};
