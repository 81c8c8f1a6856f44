import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { OutputFacts, RootFacts } from "../stack-facts";

/**
 * S3 limits a bucket policy to 20 KB, measured here on the text Terraform sends.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
 */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * Each bucket policy this stack writes is the only one written for its bucket across all stacks
 * (aws_s3_bucket_policy owns the whole document: two would overwrite each other, last apply wins),
 * and fits S3's size limit, which a shared destination with many sources reaches first.
 */
export function checkBucketPolicyOwners(facts: RootFacts, output: OutputFacts): CheckResult[] {
  return output.bucketPolicies
    .filter((p) => p.stack === facts.stack.name)
    .map((p) => {
      const base = { stack: facts.stack.name, check: "bucket policy owner", resource: `arn:aws:s3:::${p.bucket}` };
      const writers = output.bucketPolicies.filter((other) => other.bucket === p.bucket);
      if (writers.length > 1) {
        return fail({
          ...base,
          detail: `the bucket's whole policy is written twice (${writers.map((w) => `${w.stack}/${w.address}`).join(", ")}): the last apply removes the other's grants`,
          help: HELP.bucketPolicy,
        });
      }
      const bytes = Buffer.byteLength(p.text, "utf8");
      if (bytes > BUCKET_POLICY_MAX_BYTES) {
        return fail({
          ...base,
          detail: `${p.address} is ${bytes} bytes; S3 accepts at most ${BUCKET_POLICY_MAX_BYTES}`,
          help: HELP.bucketPolicy,
        });
      }
      return pass({ ...base, detail: `${p.address}, ${bytes} bytes` });
    });
}
