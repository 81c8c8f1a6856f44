import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import { checkEach, clientsOf, type DoctorContext } from "../doctor-context";

/** Versioning is Enabled on the source and every destination: not absent, not Suspended. */
export function checkVersioning(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  return checkEach(
    [replication.source, ...replication.destinations],
    (bucket) => ({ stack: replication.stackName, check: "versioning", resource: bucket.arn, help: HELP.versioning }),
    async (bucket, base) => {
      const { Status } = await clientsOf(ctx, bucket).s3.send(
        new GetBucketVersioningCommand({ Bucket: bucket.bucket }),
      );
      return Status === "Enabled"
        ? pass({ ...base, help: undefined, detail: "Enabled" })
        : fail({ ...base, detail: `versioning is ${Status ?? "not enabled (never turned on)"}` });
    },
  );
}
