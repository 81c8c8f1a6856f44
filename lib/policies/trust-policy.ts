import type { Replication } from "../config/model";
import { ASSUME_ROLE_ACTION, S3_SERVICE_PRINCIPAL } from "../perms";
import { type PolicyDocument, policyDocument, type Statement } from "./policy-document";

/**
 * The replication role's trust policy: S3 may assume it, as AWS documents it. What keeps other
 * accounts from using the role is iam:PassRole on it, not a condition here. The opt-in
 * aws:SourceAccount / aws:SourceArn conditions are not shown on any AWS replication page, and a
 * condition S3 does not satisfy silently stops replication.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function trustPolicy(replication: Replication): PolicyDocument {
  const statement: Statement = {
    Sid: "S3AssumeRoleForReplication",
    Effect: "Allow",
    Principal: { Service: S3_SERVICE_PRINCIPAL },
    Action: ASSUME_ROLE_ACTION,
    ...(replication.role.restrictTrustToSourceBucket
      ? {
          Condition: {
            StringEquals: { "aws:SourceAccount": replication.source.account.accountId },
            ArnLike: { "aws:SourceArn": replication.source.arn },
          },
        }
      : {}),
  };
  return policyDocument([statement]);
}
