import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { OutputFacts, StackFacts } from "../stack-facts";

/**
 * The replication configuration waits for the bucket policy of each destination: by depends_on
 * when the same stack writes it (its own one-to-one destination, or a shared destination's side in
 * the single layout), by stack order when another stack does (a shared destination's own stack).
 * S3 accepts the configuration before the policy exists, and every object written in between
 * fails to replicate (status FAILED) and is not retried.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
 */
export function checkPolicyOrder(facts: StackFacts, output: OutputFacts): CheckResult[] {
  const { replication } = facts;
  if (!replication) return [];
  const destinations = [...new Set(replication.rules.map((r) => r.destinationBucket))];
  return destinations.flatMap((bucket) =>
    output.bucketPolicies
      .filter((p) => p.bucket === bucket)
      .map((p) => {
        const base = { stack: facts.stack.name, check: "bucket policy order", resource: `arn:aws:s3:::${bucket}` };
        const here = p.stack === facts.stack.name;
        const ordered = here ? replication.dependsOn.includes(p.address) : facts.stack.dependencies.includes(p.stack);
        return ordered
          ? pass({ ...base, detail: `${here ? "" : `${p.stack}/`}${p.address}` })
          : fail({
              ...base,
              detail: `${replication.address} does not wait for ${p.stack}/${p.address}: objects written before the policy lands fail to replicate`,
              help: HELP.failedStatus,
            });
      }),
  );
}
