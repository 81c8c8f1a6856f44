/**
 * What an existing bucket has today, read with the operator's credentials before a plan: the
 * bucket-level documents a stack would overwrite (policy, replication configuration, versioning)
 * and the settings a stack relies on (Object Ownership, default encryption).
 */
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { asList, isJsonObject, type JsonObject } from "../json";

export interface BucketSnapshot {
  readonly bucket: string;
  readonly exists: boolean;
  /** The parsed bucket policy; undefined when the bucket has none. */
  readonly policy?: JsonObject;
  readonly replication?: { readonly role?: string; readonly rules: readonly JsonObject[] };
  /** S3 reports no status for a bucket that was never versioned. */
  readonly versioning: "Enabled" | "Suspended" | "Never enabled";
  readonly ownership?: string;
  /** The default encryption algorithm and key, when the bucket has one. */
  readonly encryption?: { readonly algorithm: string; readonly kmsKeyId?: string };
}

/** The error names S3 answers with when a bucket simply has no such document. */
const ABSENT = new Set([
  "NoSuchBucketPolicy",
  "ReplicationConfigurationNotFoundError",
  "OwnershipControlsNotFoundError",
  "ServerSideEncryptionConfigurationNotFoundError",
]);

async function orAbsent<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (ABSENT.has((error as Error).name)) return undefined;
    throw error;
  }
}

export async function readBucketSnapshot(s3: S3Client, bucket: string): Promise<BucketSnapshot> {
  let status: string | undefined;
  try {
    status = (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))?.Status;
  } catch (error) {
    if ((error as Error).name === "NoSuchBucket") return { bucket, exists: false, versioning: "Never enabled" };
    throw error;
  }
  const [policy, replication, ownership, encryption] = await Promise.all([
    orAbsent(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    orAbsent(s3.send(new GetBucketReplicationCommand({ Bucket: bucket }))),
    orAbsent(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))),
    orAbsent(s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
  ]);
  // A policy that is not a JSON object has no statements: the same as none.
  const parsedPolicy: unknown = policy?.Policy ? JSON.parse(policy.Policy) : undefined;
  const sse = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  return {
    bucket,
    exists: true,
    policy: isJsonObject(parsedPolicy) ? parsedPolicy : undefined,
    replication: replication?.ReplicationConfiguration
      ? {
          role: replication.ReplicationConfiguration.Role,
          // Every SDK rule is an object: the filter only narrows them to JSON read field by field.
          rules: asList<unknown>(replication.ReplicationConfiguration.Rules).filter(isJsonObject),
        }
      : undefined,
    versioning: status === "Enabled" || status === "Suspended" ? status : "Never enabled",
    ownership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    encryption: sse?.SSEAlgorithm ? { algorithm: sse.SSEAlgorithm, kmsKeyId: sse.KMSMasterKeyID } : undefined,
  };
}
