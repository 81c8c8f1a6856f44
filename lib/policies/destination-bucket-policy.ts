import { objectsArn } from "../arn";
import type { DestinationBucket, Replication, SharedDestination } from "../config/model";
import { BUCKET_POLICY_SIDS, sourceGrantSid } from "../naming";
import { DESTINATION_BUCKET_ACTIONS, DESTINATION_OBJECT_ACTIONS, OWNER_OVERRIDE_ACTION } from "../perms";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "./policy-document";
import { coveringPrefixes } from "./role-policy";
import { organizationRoles, sourceRoles } from "./source-grants";
import { tlsOnlyStatement } from "./tls-only";

/**
 * The destination bucket's whole policy: the replication role (its exact ARN, path included) may
 * write replicas, then (on a bucket this project creates) TLS-only access, then the statements
 * the config asks to keep. aws_s3_bucket_policy replaces the
 * bucket's policy, so anything else on the bucket today is removed on apply.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function destinationBucketPolicy(replication: Replication, destination: DestinationBucket): PolicyDocument {
  const principal = { AWS: replication.role.arn };
  return policyDocument([
    {
      Sid: BUCKET_POLICY_SIDS.replication,
      Effect: "Allow",
      Principal: principal,
      Action: [...DESTINATION_OBJECT_ACTIONS, ...(destination.ownerOverride ? [OWNER_OVERRIDE_ACTION] : [])],
      Resource: objectsArn(destination.partition, destination.bucket),
    },
    {
      Sid: BUCKET_POLICY_SIDS.versioningCheck,
      Effect: "Allow",
      Principal: principal,
      Action: [...DESTINATION_BUCKET_ACTIONS],
      Resource: destination.arn,
    },
    ...(destination.create ? [tlsOnlyStatement(destination)] : []),
    ...destination.additionalStatements,
  ]);
}

/** The rules of one replication that write into `bucket`. */
export function rulesInto(replication: Replication, bucket: string): Replication["rules"] {
  return replication.rules.filter((rule) => rule.destination.bucket === bucket);
}

/**
 * The whole policy of a bucket several sources share, written once by its destination stack.
 * Each source gets its own grant: its account, narrowed to its role by aws:PrincipalArn, on its own
 * key prefixes when all its rules have one. In organization mode one grant covers every member
 * account's replication role instead. Then TLS-only (created buckets) and the kept statements.
 */
export function sharedDestinationBucketPolicy(shared: SharedDestination): PolicyDocument {
  const d = shared.destination;
  const objectActions = (ownerOverride: boolean) => [
    ...DESTINATION_OBJECT_ACTIONS,
    ...(ownerOverride ? [OWNER_OVERRIDE_ACTION] : []),
  ];
  const grants: Statement[] = shared.organization
    ? [
        {
          Sid: BUCKET_POLICY_SIDS.organization,
          Effect: "Allow",
          ...organizationRoles(shared.organization),
          Action: objectActions(d.ownerOverride),
          Resource: objectsArn(d.partition, d.bucket),
        },
      ]
    : shared.sources.map((r, n) => {
        const rules = rulesInto(r, d.bucket);
        return {
          Sid: sourceGrantSid(n + 1),
          Effect: "Allow",
          ...sourceRoles([r]),
          Action: objectActions(rules.some((rule) => rule.ownerOverride)),
          Resource: oneOrMany(coveringPrefixes(rules).map((prefix) => objectsArn(d.partition, d.bucket, prefix))),
        };
      });
  return policyDocument([
    ...grants,
    {
      Sid: BUCKET_POLICY_SIDS.versioningCheck,
      Effect: "Allow",
      ...(shared.organization ? organizationRoles(shared.organization) : sourceRoles(shared.sources)),
      Action: [...DESTINATION_BUCKET_ACTIONS],
      Resource: d.arn,
    },
    ...(d.create ? [tlsOnlyStatement(d)] : []),
    ...d.additionalStatements,
  ]);
}
