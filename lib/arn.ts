/**
 * Every ARN this project writes is built here, from config, so that policies are literal text a
 * plan shows in full and preflight can evaluate offline.
 */
import { partitionOfRegion } from "./regions";

/**
 * The ARN partition of a Region (aws, aws-cn, aws-us-gov, the iso partitions, aws-eusc). The
 * loader refuses Regions outside every partition; preflight reading hand-edited JSON gets "aws".
 */
export function partitionOf(region: string): string {
  return partitionOfRegion(region)?.id ?? "aws";
}

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/**
 * The ARN pattern of the objects under `prefix` (every object when the prefix is empty).
 * IAM treats `*`, `?` and `$` in a resource as special, so a prefix that holds them is escaped.
 */
export function objectsArn(partition: string, bucket: string, prefix = ""): string {
  return `${bucketArn(partition, bucket)}/${literalKeyText(prefix)}*`;
}

/** Key text as IAM reads it literally: `*`, `?` and `$` become the policy variables `${*}`, `${?}`, `${$}`. */
function literalKeyText(text: string): string {
  return text.replace(/[$*?]/g, (c) => `\${${c}}`);
}

/**
 * A policy variable IAM replaces with the requesting principal's account. Variables work in the
 * resource part of a Resource ARN and in string conditions, in identity and resource policies,
 * and global condition keys (aws:PrincipalAccount is one, present in every signed request) may
 * be used as variables.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, written as IAM reads it
export const PRINCIPAL_ACCOUNT_VARIABLE = "${aws:PrincipalAccount}";

/**
 * The objects under the requesting account's own prefix, `<before><account id><after>`: the
 * account id is the aws:PrincipalAccount policy variable, which IAM replaces per request.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function accountObjectsArn(partition: string, bucket: string, before: string, after: string): string {
  return `${bucketArn(partition, bucket)}/${literalKeyText(before)}${PRINCIPAL_ACCOUNT_VARIABLE}${literalKeyText(after)}*`;
}

export function roleArn(partition: string, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role${path}${name}`;
}

/** The account principal (`...:root`): "this account, as IAM policies in it allow". */
export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** Every KMS key of an account in a Region: for a key another stack creates, whose id is not known. */
export function kmsKeysArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/*`;
}

/**
 * A KMS alias ARN. S3 accepts it as a replication rule's replica key and resolves it in the alias's
 * account; a bare alias name would resolve in the source account.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html
 */
export function kmsAliasArn(partition: string, region: string, accountId: string, alias: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:${alias}`;
}
