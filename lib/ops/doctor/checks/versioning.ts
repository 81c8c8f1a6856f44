import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import { attempt, clientsOf, type DoctorContext } from "../doctor-context";

/** Versioning is Enabled on the source and every destination: not absent, not Suspended. */
export async function checkVersioning(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const results: CheckResult[] = [];
  for (const bucket of [replication.source, ...replication.destinations]) {
    const base = { stack: replication.stackName, check: "versioning", resource: bucket.arn, help: HELP.versioning };
    results.push(
      ...(await attempt(base, async () => {
        const { Status } = await clientsOf(ctx, bucket).s3.send(
          new GetBucketVersioningCommand({ Bucket: bucket.bucket }),
        );
        return [
          Status === "Enabled"
            ? pass({ ...base, help: undefined, detail: "Enabled" })
            : fail({ ...base, detail: `versioning is ${Status ?? "not enabled (never turned on)"}` }),
        ];
      })),
    );
  }
  return results;
}
