/**
 * What `npm run plan` and `npm run apply` read themselves, with the operator's credentials, before
 * Terraform runs: the existing-bucket check (lib/plan/takeover-check.ts) reads, on every existing
 * bucket a stack writes a bucket-level document to, what the apply would replace
 * (lib/plan/bucket-snapshot.ts); apply's prerequisite check (lib/plan/prerequisites.ts) reads the
 * versioning of each bucket a stack uses that another stack manages.
 */
import { bucketArn } from "../arn";
import type { BucketLocation, Model } from "../config/model";
import { existingBucketsOf } from "../plan/takeover-check";
import { OPS_CALLS } from "./ops-calls";
import type { Permission } from "./permission";

/** The SDK commands of lib/plan/bucket-snapshot.ts; a test keeps this list equal to the code's. */
export const SNAPSHOT_COMMANDS = [
  "GetBucketVersioningCommand",
  "GetBucketPolicyCommand",
  "GetBucketReplicationCommand",
  "GetBucketOwnershipControlsCommand",
  "GetBucketEncryptionCommand",
] as const;

function reads(bucket: BucketLocation, commands: readonly string[]): Permission[] {
  const resource = bucketArn(bucket.partition, bucket.bucket);
  return commands
    .flatMap((command) => OPS_CALLS[command].actions({}))
    .map((action) => ({ accountId: bucket.account.accountId, action, resource }));
}

/** The existing-bucket check: plan and apply both run it. */
export function existingBucketCheckPermissions(model: Model): Permission[] {
  return [
    ...model.replications.flatMap((r) => existingBucketsOf(r)),
    ...model.sharedDestinations.map((d) => d.destination).filter((b) => !b.create),
  ].flatMap((bucket) => reads(bucket, SNAPSHOT_COMMANDS));
}

/** Apply's prerequisite check: versioning of the buckets another stack manages. */
export function prerequisiteCheckPermissions(model: Model): Permission[] {
  const managerOf = new Map<string, string>();
  for (const r of model.replications) {
    for (const m of r.managedBuckets) managerOf.set(m.location.bucket, r.stackName);
  }
  for (const shared of model.sharedDestinations) managerOf.set(shared.destination.bucket, shared.stackName);
  return model.replications.flatMap((r) =>
    [r.source, ...r.destinations]
      .filter((b) => managerOf.has(b.bucket) && managerOf.get(b.bucket) !== r.stackName)
      .flatMap((bucket) => reads(bucket, ["GetBucketVersioningCommand"])),
  );
}
