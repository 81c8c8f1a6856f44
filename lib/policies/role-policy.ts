import { objectsArn } from "../arn";
import type { DestinationBucket, Replication } from "../config/model";
import {
  OBJECT_LOCK_SOURCE_ACTIONS,
  S3_RESOURCE_ACCOUNT,
  SOURCE_BUCKET_ACTIONS,
  SOURCE_OBJECT_ACTIONS,
} from "../perms";
import { coveringPrefixes, GRANT_PURPOSES, type GrantPurpose, groupByResources, objectGrants } from "./object-grants";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "./policy-document";

/**
 * The Sid of the role's destination-object statement named after its first purpose (plus the
 * account id when rules go to several accounts).
 */
export const ROLE_DESTINATION_SIDS: Readonly<Record<GrantPurpose, string>> = {
  replicate: "DestinationObjectPermissions",
  deleteMarkers: "DestinationDeleteMarkers",
  ownerOverride: "DestinationOwnerOverride",
};

/**
 * The source prefixes the role may read: every rule's prefix when every rule has one (a prefix
 * inside another one adds nothing), otherwise the whole bucket.
 */
export function sourceReadPrefixes(replication: Replication): string[] {
  return coveringPrefixes(replication.rules);
}

/** The rules of one replication that write into `bucket`. */
export function rulesInto(replication: Replication, bucket: string): Replication["rules"] {
  return replication.rules.filter((rule) => rule.destination.bucket === bucket);
}

/** The destination object ARNs the rules into `destination` need for `purpose`. */
function grantedObjects(replication: Replication, destination: DestinationBucket, purpose: GrantPurpose): string[] {
  const grant = objectGrants(rulesInto(replication, destination.bucket)).find((g) => g.purpose === purpose);
  return (grant?.prefixes ?? []).map((p) => objectsArn(destination.partition, destination.bucket, p));
}

/**
 * The role's writes into the destinations, per destination account (s3:ResourceAccount: only in
 * buckets that account owns), on the rules' prefixes: replicas and tags everywhere, delete markers
 * and owner override only where a rule asks for them, in the same statement when on the same objects.
 */
function destinationStatements(replication: Replication): Statement[] {
  const accounts = [...new Set(replication.destinations.map((d) => d.account.accountId))];
  return accounts.flatMap((account) => {
    const destinations = replication.destinations.filter((d) => d.account.accountId === account);
    const suffix = accounts.length > 1 ? account : "";
    const resources = GRANT_PURPOSES.map((purpose): [GrantPurpose, string[]] => [
      purpose,
      destinations.flatMap((d) => grantedObjects(replication, d, purpose)),
    ]);
    return groupByResources(resources).map(
      (group): Statement => ({
        Sid: `${ROLE_DESTINATION_SIDS[group.purposes[0]]}${suffix}`,
        Effect: "Allow",
        Action: oneOrMany(group.actions),
        Resource: oneOrMany(group.resources),
        Condition: { StringEquals: { [S3_RESOURCE_ACCOUNT]: account } },
      }),
    );
  });
}

/**
 * The replication role's inline policy: exactly the actions S3 uses, on exactly the objects the
 * rules replicate. No wildcard actions, no Resource "*".
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function rolePolicy(replication: Replication): PolicyDocument {
  const { source } = replication;
  return policyDocument([
    {
      Sid: "SourceBucketPermissions",
      Effect: "Allow",
      Action: [...SOURCE_BUCKET_ACTIONS],
      Resource: source.arn,
    },
    {
      Sid: "SourceObjectPermissions",
      Effect: "Allow",
      // Object Lock retention and legal hold are read only where the source bucket has Object Lock.
      Action: [...SOURCE_OBJECT_ACTIONS, ...(source.objectLock ? OBJECT_LOCK_SOURCE_ACTIONS : [])],
      Resource: oneOrMany(sourceReadPrefixes(replication).map((p) => objectsArn(source.partition, source.bucket, p))),
    },
    ...destinationStatements(replication),
  ]);
}
