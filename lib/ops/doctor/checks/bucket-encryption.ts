import { GetBucketEncryptionCommand, type ServerSideEncryptionByDefault } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import type { BucketLocation, DestinationBucket, Replication, SourceBucket } from "../../../config/model";
import { kmsDestinations } from "../../../policies/kms-policies";
import { checkEach, clientsOf, type DoctorContext } from "../doctor-context";

interface LiveEncryption {
  readonly algorithm: string;
  readonly key?: string;
  readonly bucketKey: boolean;
}

/**
 * A bucket's default encryption. Every bucket has one since January 2023 (SSE-S3 when nobody set
 * another); an error saying there is none means SSE-S3 on an S3-compatible store.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
 */
async function liveEncryption(ctx: DoctorContext, bucket: BucketLocation): Promise<LiveEncryption> {
  const answer = await clientsOf(ctx, bucket)
    .s3.send(new GetBucketEncryptionCommand({ Bucket: bucket.bucket }))
    .catch((error: Error) => {
      if (error.name === "ServerSideEncryptionConfigurationNotFoundError") return undefined;
      throw error;
    });
  const rule = answer?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const defaults: ServerSideEncryptionByDefault | undefined = rule?.ApplyServerSideEncryptionByDefault;
  return {
    algorithm: defaults?.SSEAlgorithm ?? "AES256",
    key: defaults?.KMSMasterKeyID,
    bucketKey: rule?.BucketKeyEnabled === true,
  };
}

/** Whether a key as S3 reports it (an ARN or a bare key id) is one of the configured key ARNs. */
function keyListed(key: string, arns: readonly string[]): boolean {
  return arns.some((arn) => arn === key || arn.endsWith(`:key/${key}`));
}

function describe(live: LiveEncryption): string {
  if (live.algorithm === "AES256") return "SSE-S3";
  return `${live.algorithm} with ${live.key ?? "the AWS managed key aws/s3"}${live.bucketKey ? ", S3 Bucket Keys on" : ""}`;
}

function sourceProblems(replication: Replication, source: SourceBucket, live: LiveEncryption): string[] {
  if (!live.algorithm.startsWith("aws:kms")) return [];
  const kmsRules = replication.rules.filter((r) => r.replicateSseKms);
  if (kmsRules.length === 0) {
    return [
      `fix the config: new objects are ${live.algorithm}-encrypted, and no rule sets replicateSseKms, so S3 skips them; set replicateSseKms and list the key in source.sseKmsKeyArns`,
    ];
  }
  const problems: string[] = [];
  if (!live.key) {
    problems.push(
      "fix the bucket: it encrypts with the AWS managed key aws/s3, which no other account can use; set a customer managed key as its default",
    );
  } else if (!keyListed(live.key, source.sseKmsKeyArns)) {
    problems.push(
      `fix the config: the role's kms:Decrypt covers ${source.sseKmsKeyArns.join(", ") || "no key"}, not the bucket's key ${live.key}; add it to source.sseKmsKeyArns (or fix the bucket: set its default key back)`,
    );
  }
  if (live.bucketKey && !source.bucketKeyEnabled) {
    problems.push(
      "fix the config: the bucket uses S3 Bucket Keys, so KMS sees the bucket ARN as encryption context, which the role's kms:Decrypt does not allow; set bucketKeyEnabled on this bucket",
    );
  }
  return problems;
}

function destinationProblems(replication: Replication, destination: DestinationBucket, live: LiveEncryption): string[] {
  const receivesKmsReplicas = kmsDestinations(replication).some((d) => d.bucket === destination.bucket);
  if (!receivesKmsReplicas || !live.bucketKey || destination.bucketKeyEnabled) return [];
  return [
    "fix the config: the bucket uses S3 Bucket Keys, so replicas are encrypted under the bucket ARN as encryption context, which the role's replica-key grant does not allow; set bucketKeyEnabled on this bucket",
  ];
}

/**
 * Each bucket's live default encryption (algorithm, KMS key, S3 Bucket Keys) against the config
 * and the role's KMS grants built from it: a key the role cannot decrypt with, or Bucket Keys the
 * grants' encryption context does not allow, fail objects that a config check cannot see.
 */
export function checkBucketEncryption(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const { source } = replication;
  return checkEach(
    [source, ...replication.destinations] as BucketLocation[],
    (bucket) => ({
      stack: replication.stackName,
      check: "default encryption",
      resource: bucket.arn,
      help: HELP.encryption,
    }),
    async (bucket, base) => {
      const live = await liveEncryption(ctx, bucket);
      const problems =
        bucket === source
          ? sourceProblems(replication, source, live)
          : destinationProblems(replication, bucket as DestinationBucket, live);
      return problems.length === 0
        ? pass({ ...base, help: undefined, detail: describe(live) })
        : fail({ ...base, detail: `${describe(live)}: ${problems.join("; ")}` });
    },
  );
}
