import { accountObjectsArn, accountRootArn, kmsAliasArn, kmsKeysArn, objectsArn } from "../arn";
import type { DestinationBucket, Replication, SharedDestination } from "../config/model";
import {
  KMS_DECRYPT_ACTION,
  KMS_REPLICA_ACTIONS,
  KMS_RESOURCE_ALIASES,
  KMS_S3_CONTEXT,
  KMS_VIA_SERVICE,
  s3ServiceEndpoint,
} from "../perms";
import { coveringPrefixes } from "./object-grants";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "./policy-document";
import { organizationRoles, sourceRoles } from "./source-grants";

/**
 * The encryption contexts S3 presents to KMS for a bucket: the object ARN, or the bucket ARN when
 * the bucket uses S3 Bucket Keys. Objects written before Bucket Keys were turned on keep the
 * object ARN, so with Bucket Keys both are allowed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 */
function encryptionContexts(
  bucket: { partition: string; bucket: string; arn: string; bucketKeyEnabled: boolean },
  prefixes: string[],
): string[] {
  return withBucketKey(
    bucket,
    prefixes.map((p) => objectsArn(bucket.partition, bucket.bucket, p)),
  );
}

function withBucketKey(bucket: { arn: string; bucketKeyEnabled: boolean }, objects: string[]): string[] {
  return [...objects, ...(bucket.bucketKeyEnabled ? [bucket.arn] : [])];
}

/** The rules that replicate SSE-KMS objects, optionally into one destination. */
function kmsRules(replication: Replication, destination?: DestinationBucket) {
  return replication.rules.filter(
    (rule) => rule.replicateSseKms && (!destination || rule.destination.bucket === destination.bucket),
  );
}

/** The actions on a replica key: encrypt, and decrypt too when the destination uses Bucket Keys. */
export function replicaKeyActions(destination: DestinationBucket): string[] {
  return [...KMS_REPLICA_ACTIONS, ...(destination.bucketKeyEnabled ? [KMS_DECRYPT_ACTION] : [])];
}

/** Destinations that receive SSE-KMS replicas, with their replica key. */
export function kmsDestinations(replication: Replication): DestinationBucket[] {
  return replication.destinations.filter((d) => d.replicaKms && kmsRules(replication, d).length > 0);
}

/**
 * The role's KMS statements: decrypt source objects with the source keys and encrypt replicas with
 * each replica key, only through S3 in the bucket's Region and only for these buckets' objects.
 * `replicaKeyArn` gives each destination's key ARN (a literal, or a reference to a created key).
 */
export function roleKmsPolicy(
  replication: Replication,
  replicaKeyArn: (destination: DestinationBucket) => string,
): PolicyDocument | undefined {
  const rules = kmsRules(replication);
  if (rules.length === 0) return undefined;
  const { source } = replication;
  const statements: Statement[] = [
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: KMS_DECRYPT_ACTION,
      Resource: oneOrMany([...source.sseKmsKeyArns]),
      Condition: {
        StringEquals: { [KMS_VIA_SERVICE]: s3ServiceEndpoint(source.region) },
        StringLike: { [KMS_S3_CONTEXT]: oneOrMany(encryptionContexts(source, coveringPrefixes(rules))) },
      },
    },
    ...kmsDestinations(replication).map((d, n): Statement => {
      // A key another stack creates is named through every key of its account: its alias picks the one.
      const alias = namedByAlias(d);
      return {
        Sid: `EncryptReplicas${n + 1}`,
        Effect: "Allow",
        Action: replicaKeyActions(d),
        Resource: replicaKeyArn(d),
        Condition: {
          StringEquals: { [KMS_VIA_SERVICE]: s3ServiceEndpoint(d.region) },
          StringLike: {
            [KMS_S3_CONTEXT]: oneOrMany(encryptionContexts(d, coveringPrefixes(kmsRules(replication, d)))),
          },
          ...(alias ? { "ForAnyValue:StringEquals": { [KMS_RESOURCE_ALIASES]: alias } } : {}),
        },
      };
    }),
  ];
  return policyDocument(statements);
}

/** The destinations of a replication whose replicas one key encrypts: an existing key may serve several. */
function destinationsOfKey(replication: Replication, destination: DestinationBucket): DestinationBucket[] {
  const kms = destination.replicaKms;
  if (kms?.kind !== "existing") return [destination];
  return kmsDestinations(replication).filter(
    (d) => d.replicaKms?.kind === "existing" && d.replicaKms.keyArn === kms.keyArn,
  );
}

/**
 * The key-policy statement that lets the replication role use a replica key in another account:
 * through S3 in the key's Region, and only for the objects the rules replicate into the buckets
 * it encrypts (or those buckets, with S3 Bucket Keys), as the role policy says. For a key this
 * stack creates, it is part of the key policy; for an existing key, its owner adds it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export function replicaKeyPolicyStatement(replication: Replication, destination: DestinationBucket): Statement {
  const destinations = destinationsOfKey(replication, destination);
  const actions = [...new Set(destinations.flatMap(replicaKeyActions))];
  const contexts = destinations.flatMap((d) => encryptionContexts(d, coveringPrefixes(kmsRules(replication, d))));
  return {
    Sid: "AllowS3ReplicationRoleToEncryptReplicas",
    Effect: "Allow",
    Principal: { AWS: replication.role.arn },
    Action: actions,
    Resource: "*",
    Condition: {
      StringEquals: { [KMS_VIA_SERVICE]: s3ServiceEndpoint(destination.region) },
      StringLike: { [KMS_S3_CONTEXT]: oneOrMany(contexts) },
    },
  };
}

/**
 * The whole policy of a replica key this stack creates: the destination account administers it
 * through IAM (the default key policy), and the replication role may encrypt replicas with it.
 * In a key policy, Resource "*" means this key.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function replicaKeyPolicy(replication: Replication, destination: DestinationBucket): PolicyDocument {
  return policyDocument([keyAdministration(destination), replicaKeyPolicyStatement(replication, destination)]);
}

/** The default key policy's statement: the key's account administers it through IAM. */
function keyAdministration(destination: DestinationBucket): Statement {
  return {
    Sid: "EnableIamPolicies",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(destination.partition, destination.account.accountId) },
    Action: "kms:*",
    Resource: "*",
  };
}

/**
 * The encryption contexts a shared key allows: in organization mode each member account's own
 * part of the bucket (the aws:PrincipalAccount policy variable, which IAM replaces in string
 * conditions too); otherwise the prefixes of every source's SSE-KMS rules into the bucket. With
 * S3 Bucket Keys the context is the bucket's ARN, the same for every source: then only the
 * bucket policy keeps sources apart.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
function sharedEncryptionContexts(shared: SharedDestination): string[] {
  const d = shared.destination;
  if (shared.organization) {
    const { before, after } = shared.organization.accountPrefix;
    return withBucketKey(d, [accountObjectsArn(d.partition, d.bucket, before, after)]);
  }
  return encryptionContexts(d, coveringPrefixes(shared.sources.flatMap((r) => kmsRules(r, d))));
}

/**
 * The key-policy statement of a replica key several sources share: every source role that
 * replicates SSE-KMS objects into the bucket (by account and aws:PrincipalArn), or the organization's
 * replication roles, may encrypt replicas through S3 in the key's Region, for the sources' objects.
 */
export function sharedReplicaKeyPolicyStatement(shared: SharedDestination): Statement {
  const d = shared.destination;
  const grantee = shared.organization
    ? organizationRoles(shared.organization)
    : sourceRoles(shared.sources.filter((r) => kmsRules(r, d).length > 0));
  const viaS3 = { [KMS_VIA_SERVICE]: s3ServiceEndpoint(d.region) };
  const contexts = { [KMS_S3_CONTEXT]: oneOrMany(sharedEncryptionContexts(shared)) };
  return {
    Sid: "AllowS3ReplicationRolesToEncryptReplicas",
    Effect: "Allow",
    Principal: grantee.Principal,
    Action: replicaKeyActions(d),
    Resource: "*",
    Condition: {
      ...grantee.Condition,
      StringEquals: { ...grantee.Condition.StringEquals, ...viaS3 },
      StringLike: { ...grantee.Condition.StringLike, ...contexts },
    },
  };
}

/** The whole policy of a replica key a destination stack creates for a shared bucket. */
export function sharedReplicaKeyPolicy(shared: SharedDestination): PolicyDocument {
  return policyDocument([keyAdministration(shared.destination), sharedReplicaKeyPolicyStatement(shared)]);
}

/**
 * How a source stack names a destination's replica key in its rules: the existing key's ARN, the
 * key the stack creates (`createdKeyArn`, a reference), or, for a key a shared destination's stack
 * creates, its alias ARN: its key id is known only in that stack.
 */
export function replicaKeyId(destination: DestinationBucket, createdKeyArn: () => string): string {
  const kms = destination.replicaKms;
  if (kms?.kind === "existing") return kms.keyArn;
  if (kms && destination.sharedBy) {
    return kmsAliasArn(destination.partition, destination.region, destination.account.accountId, kms.alias);
  }
  return createdKeyArn();
}

/** The alias that names a destination's replica key in the role policy: a key a shared destination's stack creates. */
function namedByAlias(destination: DestinationBucket): string | undefined {
  return destination.replicaKms?.kind === "created" && destination.sharedBy ? destination.replicaKms.alias : undefined;
}

/**
 * The key ARN the role policy grants for a destination: its replica key, or, for a key a shared
 * destination's stack creates, the keys of that account and Region, narrowed by roleKmsPolicy to
 * the one with the key's alias (kms:ResourceAliases), to S3 and to the bucket's objects.
 */
export function replicaKeyResource(destination: DestinationBucket, createdKeyArn: () => string): string {
  return namedByAlias(destination)
    ? kmsKeysArn(destination.partition, destination.region, destination.account.accountId)
    : replicaKeyId(destination, createdKeyArn);
}
