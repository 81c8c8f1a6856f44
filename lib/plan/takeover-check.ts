/**
 * Reads, with the operator's credentials for each account, the existing buckets a stack writes
 * (its source and destinations that no stack creates) and works out what its apply would take.
 */
import type { BucketLocation, Model, Replication } from "../config/model";
import type { ClientsFor } from "../ops/aws-clients";
import { type BucketSnapshot, readBucketSnapshot } from "./bucket-snapshot";
import { sharedTakeoverOf, type Takeover, takeoverOf } from "./takeover";

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

export async function readSnapshots(
  buckets: readonly BucketLocation[],
  clients: ClientsFor,
): Promise<Map<string, BucketSnapshot>> {
  const snapshots = await Promise.all(
    buckets.map((b) =>
      readBucketSnapshot(clients(b.account, b.region).s3, b.bucket).catch((error: Error) => {
        throw new Error(
          `cannot read what ${b.bucket} has (${error.name}: ${error.message}): the check before a plan needs ${READ_ACTIONS.join(", ").replace(/, (?=[^,]*$)/, " and ")} in account ${b.account.accountId}`,
        );
      }),
    ),
  );
  return new Map(snapshots.map((s) => [s.bucket, s]));
}

export async function checkTakeover(
  model: Model,
  stack: string,
  clients: ClientsFor,
  replaceExisting: boolean,
): Promise<Takeover | undefined> {
  const shared = model.sharedDestinations.find((d) => d.stackName === stack);
  if (shared) {
    const bucket = shared.destination;
    const snapshots = await readSnapshots(bucket.create ? [] : [bucket], clients);
    return sharedTakeoverOf(shared, snapshots.get(bucket.bucket), {
      keepAt: ["sharedDestinations", bucket.bucket],
      replaceExisting,
    });
  }
  const index = model.replications.findIndex((r) => r.stackName === stack);
  if (index < 0) return undefined;
  const replication = model.replications[index];
  const snapshots = await readSnapshots(existingBucketsOf(replication), clients);
  return takeoverOf(replication, snapshots, { keepAt: ["replications", index], replaceExisting });
}
