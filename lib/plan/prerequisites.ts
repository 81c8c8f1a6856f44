/**
 * A stack that replicates between buckets another stack manages needs that stack applied first:
 * S3 refuses a replication configuration unless versioning is Enabled on the source and every
 * destination ("Versioning must be 'Enabled' on the bucket"), and by then Terraform has already
 * created the role and the bucket policy. So before anything is written, each bucket a stack uses
 * but another stack manages (and that is not being applied in the same run, where order decides)
 * is read live: it must exist with versioning Enabled.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html
 */
import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import type { BucketLocation, Model } from "../config/model";
import type { ClientsFor } from "../ops/aws-clients";

/** For each stack to apply, what it relies on from stacks outside the run: why it must wait. */
export async function unmetPrerequisites(
  model: Model,
  stacks: readonly string[],
  clients: ClientsFor,
): Promise<string[]> {
  const inRun = new Set(stacks);
  const managerOf = new Map<string, string>();
  for (const r of model.replications) {
    for (const m of r.managedBuckets) managerOf.set(m.location.bucket, r.stackName);
  }
  for (const shared of model.sharedDestinations) managerOf.set(shared.destination.bucket, shared.stackName);
  const checks: Array<Promise<string | undefined>> = [];
  for (const replication of model.stacks.filter((s) => inRun.has(s.name)).flatMap((s) => s.replications)) {
    const seen = new Set<string>();
    for (const location of [replication.source, ...replication.destinations]) {
      const manager = managerOf.get(location.bucket);
      if (!manager || manager === replication.stackName || inRun.has(manager) || seen.has(location.bucket)) continue;
      seen.add(location.bucket);
      checks.push(
        versioningOf(location, clients).then((state) =>
          state === undefined
            ? undefined
            : `${replication.stackName}: apply ${manager} first: it manages ${location.bucket}, which ${state}; replication needs versioning Enabled on every bucket it uses`,
        ),
      );
    }
  }
  return (await Promise.all(checks)).filter((m): m is string => m !== undefined);
}

/** What keeps the bucket from replicating, or undefined when its versioning is Enabled. */
async function versioningOf(location: BucketLocation, clients: ClientsFor): Promise<string | undefined> {
  try {
    const answer = await clients(location.account, location.region).s3.send(
      new GetBucketVersioningCommand({ Bucket: location.bucket }),
    );
    if (answer?.Status === "Enabled") return undefined;
    return answer?.Status === "Suspended" ? "has versioning Suspended" : "has never had versioning enabled";
  } catch (error) {
    if ((error as Error).name === "NoSuchBucket") return "does not exist yet";
    throw error;
  }
}
