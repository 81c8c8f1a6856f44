/**
 * Limits of the documents this project writes, checked on the resolved model before anything is
 * synthesized, so that AWS does not refuse them halfway through an apply. It sits above both
 * lib/config and lib/policies: measuring a document needs the builders, and config must not
 * reach them (.dependency-cruiser.js). checked-model.ts runs it wherever a config is loaded.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
 */
import type { ConfigIssue } from "./config/config-error";
import type { DestinationBucket, Model } from "./config/model";
import { destinationBucketPolicy, sharedDestinationBucketPolicy } from "./policies/destination-bucket-policy";
import { roleKmsPolicy } from "./policies/kms-policies";
import type { PolicyDocument } from "./policies/policy-document";
import { rolePolicy } from "./policies/role-policy";

/** IAM: the inline policies of one role together, whitespace not counted. */
export const ROLE_INLINE_POLICIES_LIMIT = 10_240;
/** S3: a bucket policy, in bytes. */
export const BUCKET_POLICY_LIMIT = 20 * 1024;

/**
 * A document's size as IAM counts it: without whitespace. The AWS provider re-encodes policies
 * with Go's JSON encoder, which writes <, > and & as six-character escapes, so they count six.
 */
export function iamPolicySize(document: PolicyDocument): number {
  const text = JSON.stringify(document).replace(/[<>&]/g, "\\u0000");
  return text.length - (text.match(/\s/g)?.length ?? 0);
}

export function bucketPolicySize(document: PolicyDocument): number {
  return Buffer.byteLength(JSON.stringify(document).replace(/[<>&]/g, "\\u0000"), "utf8");
}

/** A created replica key's ARN is known only after apply: count the longest one KMS issues. */
function placeholderKeyArn(destination: DestinationBucket): string {
  if (destination.replicaKms?.kind === "existing") return destination.replicaKms.keyArn;
  return `arn:${destination.partition}:kms:${destination.region}:${destination.account.accountId}:key/${"0".repeat(36)}`;
}

const thousands = (n: number) => n.toLocaleString("en-US");

export function policySizeIssues(model: Model): ConfigIssue[] {
  // A shared destination's one policy holds every source's grant (its destination stack writes it).
  const sharedIssues = model.sharedDestinations.flatMap((shared) => {
    const size = bucketPolicySize(sharedDestinationBucketPolicy(shared));
    return size > BUCKET_POLICY_LIMIT
      ? [
          {
            path: ["sharedDestinations", shared.destination.bucket],
            message: `the bucket policy of "${shared.destination.bucket}" would be ${thousands(size)} bytes with the grants of its ${shared.sources.length} sources, over S3's limit of ${thousands(BUCKET_POLICY_LIMIT)}: shorten additionalStatements or use fewer sources`,
          },
        ]
      : [];
  });
  return [...sharedIssues, ...replicationIssues(model)];
}

function replicationIssues(model: Model): ConfigIssue[] {
  return model.replications.flatMap((replication, i) => {
    const documents = [rolePolicy(replication), roleKmsPolicy(replication, placeholderKeyArn)];
    const roleSize = documents.reduce((sum, d) => sum + (d ? iamPolicySize(d) : 0), 0);
    const issues: ConfigIssue[] = [];
    if (roleSize > ROLE_INLINE_POLICIES_LIMIT) {
      issues.push({
        path: ["replications", i, "rules"],
        message: `the replication role's inline policies would be ${thousands(roleSize)} characters, over IAM's limit of ${thousands(ROLE_INLINE_POLICIES_LIMIT)} (whitespace not counted): each filter prefix adds its ARNs, so use fewer or shorter prefixes`,
      });
    }
    for (const destination of replication.destinations.filter((d) => !d.sharedBy)) {
      const size = bucketPolicySize(destinationBucketPolicy(replication, destination));
      if (size > BUCKET_POLICY_LIMIT) {
        issues.push({
          path: ["replications", i, "destinationPolicies", destination.bucket],
          message: `the bucket policy of "${destination.bucket}" would be ${thousands(size)} bytes, over S3's limit of ${thousands(BUCKET_POLICY_LIMIT)}: shorten or merge additionalStatements`,
        });
      }
    }
    return issues;
  });
}
