/**
 * Reads, with the operator's credentials for each account, the existing buckets a stack writes
 * (its source and destinations that no stack creates) and works out what its apply would take:
 * before the plan, from the config (statements and rules the apply removes); after it, from the
 * plan (rules rewritten under the same id, buckets to be created that already exist), because
 * only the plan knows whether the stack already manages the replication configuration or bucket.
 */
import type { BucketLocation, Model, Replication, StackUnit } from "../config/model";
import { type JsonObject, objectsAt, valueAt } from "../json";
import type { ClientsFor } from "../ops/aws-clients";
import { mapBounded } from "./bounded-map";
import { bucketPresence } from "./bucket-exists";
import { type BucketSnapshot, readBucketSnapshot } from "./bucket-snapshot";
import { REPLICATION_TYPE } from "./plan-summary";
import { type CanonicalRule, rulesFromPlan } from "./replication-rules";
import {
  combinedTakeover,
  emptyTakeover,
  type Refusal,
  sharedTakeoverOf,
  type Takeover,
  type TakeoverOptions,
  takeoverOf,
  withChangedRules,
} from "./takeover";

/** The IAM actions behind the reads (GetBucketReplication is authorized by s3:GetReplicationConfiguration). */
const READ_ACTIONS = [
  "s3:GetBucketVersioning",
  "s3:GetBucketPolicy",
  "s3:GetReplicationConfiguration",
  "s3:GetBucketOwnershipControls",
  "s3:GetEncryptionConfiguration",
];

/** The existing buckets a stack writes a bucket-level document to. */
export function existingBucketsOf(replication: Replication): BucketLocation[] {
  const all = [replication.source, ...replication.destinations.filter((d) => !d.sharedBy)].filter((b) => !b.create);
  return all.filter((b, i) => all.findIndex((o) => o.bucket === b.bucket) === i);
}

type Located = Pick<BucketLocation, "account" | "region" | "bucket">;

/** What a stack holds (model.stacks), or nothing for the state bootstrap or an unknown name. */
export function stackUnitOf(model: Model, stack: string): StackUnit | undefined {
  return model.stacks.find((s) => s.name === stack);
}

/** The buckets a stack creates. */
export function createdBucketsOf(model: Model, stack: string): Located[] {
  if (model.stateBootstrap?.stackName === stack) return [model.stateBootstrap];
  const unit = stackUnitOf(model, stack);
  if (!unit) return [];
  return [
    ...unit.sharedDestinations.map((d) => d.destination).filter((b) => b.create),
    ...unit.replications.flatMap((r) => r.managedBuckets.map((m) => m.location).filter((b) => b.create)),
  ];
}

/**
 * Buckets read at once: a snapshot reads up to four documents at once after its versioning, so 8
 * buckets keep at most 32 requests in flight, under the SDK's 50 sockets per client.
 */
export const BUCKETS_AT_ONCE = 8;

export async function readSnapshots(
  buckets: readonly BucketLocation[],
  clients: ClientsFor,
): Promise<Map<string, BucketSnapshot>> {
  const once = buckets.filter((b, i) => buckets.findIndex((o) => o.bucket === b.bucket) === i);
  const snapshots = await mapBounded(once, BUCKETS_AT_ONCE, (b) =>
    readBucketSnapshot(clients(b.account, b.region).s3, b.bucket).catch((error: Error) => {
      throw new Error(
        `cannot read what ${b.bucket} has (${error.name}: ${error.message}): the check before a plan needs ${READ_ACTIONS.join(", ").replace(/, (?=[^,]*$)/, " and ")} in account ${b.account.accountId}`,
      );
    }),
  );
  return new Map(snapshots.map((s) => [s.bucket, s]));
}

/** Where the config keeps a replication's entry: its index in `replications`. */
function replicationOptions(model: Model, replication: Replication, replaceExisting: boolean): TakeoverOptions {
  return { keepAt: ["replications", model.replications.indexOf(replication)], replaceExisting };
}

/**
 * Before the plan: what the apply would remove from the existing buckets the stack writes, for
 * every replication and shared destination side the stack holds (model.stacks), each read once.
 */
export async function checkTakeover(
  model: Model,
  stack: string,
  clients: ClientsFor,
  replaceExisting: boolean,
): Promise<Takeover> {
  const unit = stackUnitOf(model, stack);
  if (!unit) return emptyTakeover(stack);
  const sides = unit.sharedDestinations.map((d) => d.destination).filter((b) => !b.create);
  const snapshots = await readSnapshots([...sides, ...unit.replications.flatMap(existingBucketsOf)], clients);
  return combinedTakeover(stack, [
    ...unit.sharedDestinations.map((shared) =>
      sharedTakeoverOf(shared, snapshots.get(shared.destination.bucket), {
        keepAt: ["sharedDestinations", shared.destination.bucket],
        replaceExisting,
      }),
    ),
    ...unit.replications.map((r) => takeoverOf(r, snapshots, replicationOptions(model, r, replaceExisting))),
  ]);
}

/**
 * The replication configurations a plan creates, each with the replication it belongs to (by its
 * source bucket, the configuration's `bucket`): a grouped stack creates several.
 */
export function createdConfigurations(
  unit: StackUnit | undefined,
  plan: JsonObject,
): Array<{ replication: Replication; configuration: JsonObject }> {
  return created(plan, REPLICATION_TYPE).flatMap((configuration) => {
    const bucket = valueAt(configuration, "change", "after", "bucket");
    const replication = unit?.replications.find((r) => r.source.bucket === bucket);
    return replication ? [{ replication, configuration }] : [];
  });
}

/** The rules a created configuration writes, canonical. */
export function plannedRulesOf(configuration: JsonObject): CanonicalRule[] {
  return rulesFromPlan(
    valueAt(configuration, "change", "after", "rule"),
    valueAt(configuration, "change", "after_unknown", "rule"),
  );
}

/** The resources of a type the plan creates. */
function created(plan: JsonObject, type: string): JsonObject[] {
  return objectsAt(plan, "resource_changes").filter((rc) => {
    const actions = valueAt(rc, "change", "actions");
    return rc.type === type && rc.mode !== "data" && Array.isArray(actions) && actions.join(",") === "create";
  });
}

/** The names of the buckets a plan creates. */
export function bucketsCreatedBy(plan: JsonObject): string[] {
  return created(plan, "aws_s3_bucket").map((rc) => String(valueAt(rc, "change", "after", "bucket") ?? ""));
}

/** Refusals for buckets to be created that already exist (`names`: those the plan creates). */
export async function existingCreatedBuckets(
  model: Model,
  stack: string,
  names: readonly string[],
  clients: ClientsFor,
): Promise<Refusal[]> {
  const buckets = createdBucketsOf(model, stack).filter((b) => names.includes(b.bucket));
  const answers = await mapBounded(buckets, BUCKETS_AT_ONCE, async (b) => ({
    b,
    presence: await bucketPresence(clients(b.account, b.region).s3, b.bucket),
  }));
  return answers.flatMap(({ b, presence }): Refusal[] =>
    presence === "absent"
      ? []
      : [{ kind: "bucket-exists", stack, bucket: b.bucket, accountId: b.account.accountId, owner: presence }],
  );
}

/**
 * After the plan: a replication configuration the plan creates replaces the one the bucket has,
 * so the live rules are compared with the planned ones, rule id by rule id; and a bucket the plan
 * creates must not exist yet.
 */
export async function checkPlanned(
  model: Model,
  takeover: Takeover,
  plan: JsonObject,
  clients: ClientsFor,
  replaceExisting: boolean,
): Promise<Takeover> {
  const { stack } = takeover;
  let checked = takeover;
  for (const { replication, configuration } of createdConfigurations(stackUnitOf(model, stack), plan)) {
    if (!takeover.sourceRules?.[replication.source.bucket]) continue;
    checked = withChangedRules(
      checked,
      replication,
      plannedRulesOf(configuration),
      replicationOptions(model, replication, replaceExisting),
    );
  }
  const exists = await existingCreatedBuckets(model, stack, bucketsCreatedBy(plan), clients);
  return exists.length === 0 ? checked : { ...checked, refusals: [...checked.refusals, ...exists] };
}
