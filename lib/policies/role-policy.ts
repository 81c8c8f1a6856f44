import { objectsArn } from "../arn";
import type { Replication } from "../config/model";
import {
  DESTINATION_OBJECT_ACTIONS,
  OBJECT_LOCK_SOURCE_ACTIONS,
  OWNER_OVERRIDE_ACTION,
  SOURCE_BUCKET_ACTIONS,
  SOURCE_OBJECT_ACTIONS,
} from "../perms";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "./policy-document";

/**
 * The source prefixes the role may read: every rule's prefix when every rule has one (a prefix
 * inside another one adds nothing), otherwise the whole bucket.
 */
export function sourceReadPrefixes(replication: Replication): string[] {
  return coveringPrefixes(replication.rules);
}

/** The shortest set of prefixes covering the rules' filters: [""] (everything) when a rule has none. */
export function coveringPrefixes(rules: Replication["rules"]): string[] {
  const prefixes = rules.map((rule) => rule.filter.prefix);
  if (prefixes.some((prefix) => !prefix)) return [""];
  const sorted = [...new Set(prefixes as string[])].sort();
  return sorted.filter((prefix) => !sorted.some((other) => other !== prefix && prefix.startsWith(other)));
}

/**
 * The replication role's inline policy: exactly the actions S3 uses, on exactly the buckets the
 * rules name. No wildcard actions, no Resource "*".
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function rolePolicy(replication: Replication): PolicyDocument {
  const { source, destinations } = replication;
  const statements: Statement[] = [
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
    {
      Sid: "DestinationObjectPermissions",
      Effect: "Allow",
      Action: [...DESTINATION_OBJECT_ACTIONS],
      Resource: oneOrMany(destinations.map((d) => objectsArn(d.partition, d.bucket))),
    },
  ];
  const overridden = destinations.filter((d) => d.ownerOverride);
  if (overridden.length > 0) {
    statements.push({
      Sid: "DestinationOwnerOverride",
      Effect: "Allow",
      Action: OWNER_OVERRIDE_ACTION,
      Resource: oneOrMany(overridden.map((d) => objectsArn(d.partition, d.bucket))),
    });
  }
  return policyDocument(statements);
}
