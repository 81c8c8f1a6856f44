import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { type CheckResult, fail } from "../../check-result";
import type { BucketLocation, DestinationBucket, Replication } from "../../config/model";
import type { AccountClients, ClientsFor } from "../aws-clients";

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

/** The AWS error name and message, for a person. */
export function awsError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(error)}`;
}

/** Runs one check, turning an AWS error into a failed result instead of a crash. */
export async function attempt(
  base: Omit<CheckResult, "passed">,
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    return [fail({ ...base, detail: awsError(error) })];
  }
}
