import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { OutputFacts, StackFacts } from "../stack-facts";

/**
 * Versioning is Enabled on the source and every destination, and the replication configuration
 * waits for it: by depends_on in the same stack, or by stack order when another stack manages it.
 */
export function checkVersioning(facts: StackFacts, output: OutputFacts): CheckResult[] {
  const { replication } = facts;
  if (!replication) return [];
  const buckets = [...new Set([replication.sourceBucket, ...replication.rules.map((r) => r.destinationBucket)])];
  return buckets.map((bucket) => {
    const base = { stack: facts.stack.name, check: "versioning", resource: `arn:aws:s3:::${bucket}` };
    const versioning = output.versioning.filter((v) => v.bucket === bucket);
    if (versioning.length === 0) {
      return fail({
        ...base,
        detail: "no aws_s3_bucket_versioning for this bucket in any stack",
        help: HELP.versioning,
      });
    }
    if (versioning.length > 1) {
      const where = versioning.map((v) => `${v.stack}/${v.address}`).join(", ");
      return fail({
        ...base,
        detail: `versioning is managed twice (${where}): destroying one suspends it`,
        help: HELP.versioning,
      });
    }
    const [v] = versioning;
    if (v.status !== "Enabled") {
      return fail({
        ...base,
        detail: `${v.address} sets status ${v.status || "(none)"}, not Enabled`,
        help: HELP.versioning,
      });
    }
    const ordered =
      v.stack === facts.stack.name
        ? replication.dependsOn.includes(v.address)
        : facts.stack.dependencies.includes(v.stack);
    return ordered
      ? pass({ ...base, detail: `${v.stack === facts.stack.name ? "" : `${v.stack}/`}${v.address}` })
      : fail({
          ...base,
          detail: `the replication configuration does not wait for ${v.stack}/${v.address}: the first apply can fail with "Destination bucket must have versioning enabled"`,
          help: HELP.versioning,
        });
  });
}
