/**
 * After the destroy: what is left must be exactly what help/cleanup.md promises.
 *
 * - Buckets and every object in them stay; existing buckets keep their seed objects unchanged.
 * - The replication configuration, the destination bucket policies (the whole policy, including
 *   what the bucket had before the first apply), both roles and their policies, alarms and the
 *   SNS topic are gone.
 * - Versioning is Suspended, except on Object Lock buckets, where S3 refuses to suspend it and
 *   it stays Enabled.
 * - Buckets and replica keys the stack created are kept (prevent_destroy, then `terraform state
 *   rm`); a created bucket loses the settings the stack gave it (public access block, ownership
 *   controls, default encryption, TLS-only policy); a created key loses its alias.
 */
import type { Model } from "../../lib/config/model";
import type { ExpectedConfig } from "./expected";
import { accountState, bucketState, keyBehindAlias } from "./read-back";
import type { Snapshot } from "./snapshot";
import type { SeededBucket } from "./world";

export interface CleanupFacts {
  readonly model: Model;
  /** What the stacks created (expected/<config>/): its keys are kept, their aliases go. */
  readonly expected: ExpectedConfig;
  /** The existing buckets as seeded, before any apply. */
  readonly seeded: readonly SeededBucket[];
  /** What the accounts held after the apply (for created keys' ARNs). */
  readonly applied: Snapshot;
  readonly before: Snapshot;
  readonly after: Snapshot;
}

export function leftoverProblems(facts: CleanupFacts): string[] {
  const { model, before, after } = facts;
  const problems: string[] = [];
  const expect = (what: string, ok: boolean, detail: string) => {
    if (!ok) problems.push(`${what}: ${detail}`);
  };
  // Buckets whose versioning (and creation) a stack manages: a shared destination's is its own stack's.
  const managedLocations = [
    ...model.replications.flatMap((r) => r.managedBuckets.map((m) => m.location)),
    ...model.sharedDestinations.map((d) => d.destination),
  ];
  const managers = new Map(managedLocations.map((l) => [l.bucket, l] as const));
  for (const seeded of facts.seeded) {
    const was = bucketState(before, seeded.account, seeded.bucket);
    const now = bucketState(after, seeded.account, seeded.bucket);
    if (!now) {
      problems.push(`bucket ${seeded.bucket}: gone`);
      continue;
    }
    for (const [key, hash] of Object.entries(was?.objects ?? {})) {
      expect(`bucket ${seeded.bucket} object ${key}`, now.objects[key] === hash, "missing or changed");
    }
    expect(`bucket ${seeded.bucket} replication`, now.replication === null, "still configured");
    const managed = managers.get(seeded.bucket);
    if (managed) {
      const versioning = managed.objectLock ? "Enabled" : "Suspended";
      expect(
        `bucket ${seeded.bucket} versioning`,
        now.versioning === versioning,
        `${now.versioning}, expected ${versioning}`,
      );
    }
    const destination = model.replications.some((r) => r.destinations.some((d) => d.bucket === seeded.bucket));
    if (destination) expect(`bucket ${seeded.bucket} policy`, now.policy === null, "still has a policy");
  }
  for (const location of managedLocations.filter((l) => l.create)) {
    const { bucket, account, objectLock } = location;
    const now = bucketState(after, account.accountId, bucket);
    if (!now) {
      problems.push(`created bucket ${bucket}: deleted, but help/cleanup.md promises it is kept`);
      continue;
    }
    const versioning = objectLock ? "Enabled" : "Suspended";
    expect(
      `created bucket ${bucket} versioning`,
      now.versioning === versioning,
      `${now.versioning}, expected ${versioning}`,
    );
    expect(`created bucket ${bucket} public access block`, now.publicAccessBlock === null, "still set");
    expect(`created bucket ${bucket} ownership controls`, now.ownership === null, "still set");
    expect(`created bucket ${bucket} policy`, now.policy === null, "still set");
    const defaultOnly = (now.encryption ?? []).every(
      (rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === "AES256",
    );
    expect(`created bucket ${bucket} default encryption`, defaultOnly, "not S3's default");
  }
  for (const r of model.replications) {
    const source = accountState(after, r.source.account.accountId);
    for (const name of [r.role.name, r.batch.roleName]) {
      expect(`role ${name}`, !source.roles.some((role) => role.name === name), "still exists");
    }
    expect(`alarms of ${r.id}`, !source.alarms.some((a) => a.name.startsWith(`${r.id}/`)), "still exist");
    expect(`SNS topic ${r.id}-alarms`, !source.topics.some((t) => t.arn.endsWith(`:${r.id}-alarms`)), "still exists");
  }
  // Replica keys the stacks created, as their expected files list them.
  for (const key of [...facts.expected.stacks.values()].flatMap((stack) => stack.keys)) {
    const arn = keyBehindAlias(facts.applied, key.account, key.region, key.alias);
    const now = accountState(after, key.account);
    const kept = now.keys.find((k) => arn && k.arn === arn);
    expect(`created replica key ${key.alias}`, kept?.state === "Enabled", `is ${kept?.state ?? "gone"}, expected kept`);
    expect(
      `alias ${key.alias}`,
      !now.aliases.some((a) => a.name === key.alias && a.region === key.region),
      "still exists",
    );
  }
  if (model.stateBootstrap) {
    const { account, bucket } = model.stateBootstrap;
    expect(`state bucket ${bucket}`, Boolean(bucketState(after, account.accountId, bucket)), "gone");
  }
  return problems;
}
