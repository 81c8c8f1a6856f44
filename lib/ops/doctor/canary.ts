/**
 * The canary: a small object written under each rule's prefix, followed until S3 reports it
 * replicated (or FAILED, or the timeout passes), checked on the destination, and removed from both
 * buckets afterwards, every version, also on failure and on Ctrl-C.
 */
import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { Rule } from "../../config/model";
import { ruleAddress } from "../../naming";
import { classifyAwsFailure } from "../aws-failure";
import { awsError, clientsOf, type DoctorContext } from "./doctor-context";

export interface CanaryOptions {
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  /** Aborted on Ctrl-C: the canary stops waiting and cleans up. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (text: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function canaryKey(rule: Rule, stamp: number): string {
  return `${rule.filter.prefix ?? ""}s3-replication-canary/${stamp}-${ruleAddress(rule.id)}.txt`;
}

/** Deletes every version and delete marker of exactly `key`. */
export async function deleteAllVersions(s3: S3Client, bucket: string, key: string): Promise<number> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((v) => v.Key === key);
  for (const v of versions) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v.VersionId }));
  }
  return versions.length;
}

async function canaryForRule(ctx: DoctorContext, rule: Rule, options: CanaryOptions): Promise<CheckResult> {
  const { replication } = ctx;
  const { source } = replication;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const key = canaryKey(rule, now());
  const sourceS3 = clientsOf(ctx, source).s3;
  const destinationS3 = clientsOf(ctx, rule.destination).s3;
  const base = {
    stack: replication.stackName,
    rule: rule.id,
    check: "canary",
    resource: `s3://${source.bucket}/${key} -> s3://${rule.destination.bucket}/${key}`,
  };
  const tags = rule.filter.tags.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  try {
    await sourceS3.send(
      new PutObjectCommand({
        Bucket: source.bucket,
        Key: key,
        Body: `s3-replication canary for rule ${rule.id}\n`,
        ContentType: "text/plain",
        ...(tags ? { Tagging: tags } : {}),
        ...(rule.replicateSseKms && source.sseKmsKeyArns[0]
          ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: source.sseKmsKeyArns[0] }
          : {}),
      }),
    );
    const started = now();
    let status: string | undefined;
    while (true) {
      if (options.signal?.aborted) return fail({ ...base, detail: "interrupted", help: HELP.notReplicating });
      const head = await sourceS3.send(new HeadObjectCommand({ Bucket: source.bucket, Key: key }));
      status = head.ReplicationStatus;
      const waited = Math.round((now() - started) / 1000);
      options.onProgress?.(`rule ${rule.id}: ${status ?? "no status"} after ${waited}s`);
      if (status === "COMPLETED" || status === "FAILED") break;
      if (now() - started >= options.timeoutSeconds * 1000) {
        return fail({
          ...base,
          detail: `still ${status ?? "without a replication status"} after ${options.timeoutSeconds}s`,
          help: HELP.notReplicating,
        });
      }
      await sleep(options.pollSeconds * 1000);
    }
    const seconds = Math.round((now() - started) / 1000);
    if (status === "FAILED") return fail({ ...base, detail: `FAILED after ${seconds}s`, help: HELP.failedStatus });
    const replica = await destinationS3.send(new HeadObjectCommand({ Bucket: rule.destination.bucket, Key: key }));
    if (replica.ReplicationStatus !== "REPLICA") {
      return fail({
        ...base,
        detail: `the destination copy has status ${replica.ReplicationStatus ?? "none"}, not REPLICA`,
        help: HELP.notReplicating,
      });
    }
    if (rule.ownerOverride || rule.destination.objectOwnership === "BucketOwnerEnforced") {
      const [objectAcl, bucketAcl] = await Promise.all([
        destinationS3.send(new GetObjectAclCommand({ Bucket: rule.destination.bucket, Key: key })),
        destinationS3.send(new GetBucketAclCommand({ Bucket: rule.destination.bucket })),
      ]);
      if (objectAcl.Owner?.ID !== bucketAcl.Owner?.ID) {
        return fail({
          ...base,
          detail: "the replica is not owned by the destination account",
          help: HELP.ownerOverride,
        });
      }
    }
    return pass({ ...base, detail: `COMPLETED, REPLICA in the destination, after ${seconds}s` });
  } catch (error) {
    const failure = classifyAwsFailure(error);
    return fail({ ...base, detail: failure.message, help: failure.help });
  } finally {
    for (const [s3, bucket] of [
      [sourceS3, source.bucket],
      [destinationS3, rule.destination.bucket],
    ] as const) {
      await deleteAllVersions(s3, bucket, key).catch((error) =>
        options.onProgress?.(`could not remove s3://${bucket}/${key}: ${awsError(error)}`),
      );
    }
  }
}

/** Runs the canary for every enabled rule, one after the other. */
export async function runCanary(ctx: DoctorContext, options: CanaryOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const rule of ctx.replication.rules.filter((r) => r.enabled)) {
    results.push(await canaryForRule(ctx, rule, options));
    if (options.signal?.aborted) break;
  }
  return results;
}
