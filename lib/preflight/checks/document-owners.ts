import { type CheckResult, fail, HELP, pass } from "../../check-result";
import type { OutputFacts, RootFacts } from "../stack-facts";
import { resourcesOf } from "../terraform-json";

/**
 * The bucket-level documents besides the policy and versioning (bucket-policy-owners.ts,
 * versioning.ts): each is one document per bucket in S3, which a Terraform resource writes whole.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html
 */
const DOCUMENTS: ReadonlyArray<readonly [string, string]> = [
  ["aws_s3_bucket", "the bucket's creation"],
  ["aws_s3_bucket_replication_configuration", "the replication configuration"],
  ["aws_s3_bucket_ownership_controls", "the ownership controls"],
  ["aws_s3_bucket_public_access_block", "the public access block"],
  ["aws_s3_bucket_server_side_encryption_configuration", "the default encryption"],
];

/**
 * One owner per bucket-level document, whatever the stack layout: each such document this stack
 * writes is written by no other resource, in this stack or another. Two writers would overwrite
 * each other on every apply, and destroying either removes the document for both.
 */
export function checkDocumentOwners(root: RootFacts, output: OutputFacts): CheckResult[] {
  return DOCUMENTS.flatMap(([type, what]) =>
    resourcesOf(root.stack, type).map(([name, resource]) => {
      const bucket = String(resource.bucket);
      const base = { stack: root.stack.name, check: "document owner", resource: `arn:aws:s3:::${bucket}` };
      const writers = output.roots.flatMap((other) =>
        resourcesOf(other.stack, type)
          .filter(([, r]) => String(r.bucket) === bucket)
          .map(([n]) => `${other.stack.name}/${type}.${n}`),
      );
      return writers.length === 1
        ? pass({ ...base, detail: `${type}.${name}` })
        : fail({
            ...base,
            detail: `${what} is written ${writers.length} times (${writers.join(", ")}): each apply overwrites the other, and destroying one removes it for both`,
            help: HELP.documentOwner,
          });
    }),
  );
}
