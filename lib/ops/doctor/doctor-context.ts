import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { type CheckResult, fail } from "../../check-result";
import type { BucketLocation, DestinationBucket, Replication } from "../../config/model";
import type { AccountClients, ClientsFor } from "../aws-clients";
import { classifyAwsFailure } from "../aws-failure";

export interface DoctorContext {
  readonly replication: Replication;
  readonly clients: ClientsFor;
}

/** The clients for the account that owns a bucket, in the bucket's Region. */
export function clientsOf(ctx: DoctorContext, bucket: BucketLocation): AccountClients {
  return ctx.clients(bucket.account, bucket.region);
}

/** The replica key's ARN: the configured one, or the created key's, found through its alias. */
export async function replicaKeyArn(ctx: DoctorContext, destination: DestinationBucket): Promise<string | undefined> {
  const kms = destination.replicaKms;
  if (!kms) return undefined;
  if (kms.kind === "existing") return kms.keyArn;
  const described = await clientsOf(ctx, destination).kms.send(new DescribeKeyCommand({ KeyId: kms.alias }));
  return described.KeyMetadata?.Arn;
}

/**
 * The ARN of one (literal) object under `prefix` in a bucket, for checks that evaluate access to
 * an object. Not a policy pattern: the key is not escaped.
 */
export function sampleObjectArn(bucket: BucketLocation, prefix = ""): string {
  return `${bucket.arn}/${prefix}s3-replication-doctor.txt`;
}

/** The AWS error name and message, for a person. */
export function awsError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(error)}`;
}

export type CheckBase = Omit<CheckResult, "passed">;

/**
 * Runs one check per item, one after the other. An AWS error (access denied, no such bucket,
 * expired credentials) fails that item's check with the error's words instead of crashing doctor,
 * and points at the runbook for that failure of the operator's own call, not at the check's.
 */
export async function checkEach<T>(
  items: readonly T[],
  baseOf: (item: T) => CheckBase,
  run: (item: T, base: CheckBase) => Promise<CheckResult>,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const item of items) {
    const base = baseOf(item);
    try {
      results.push(await run(item, base));
    } catch (error) {
      const failure = classifyAwsFailure(error);
      const httpStatus = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
      results.push(
        fail({ ...base, detail: failure.message, help: failure.help, ...(httpStatus ? { httpStatus } : {}) }),
      );
    }
  }
  return results;
}

/** One check, with the same error handling. */
export function attempt(base: CheckBase, run: (base: CheckBase) => Promise<CheckResult>): Promise<CheckResult[]> {
  return checkEach(
    [base],
    (b) => b,
    (b) => run(b),
  );
}
