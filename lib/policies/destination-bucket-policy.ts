import { accountObjectsArn, objectsArn } from "../arn";
import type { DestinationBucket, OrganizationGrant, Replication, SharedDestination } from "../config/model";
import { BUCKET_POLICY_SIDS, sourceGrantSid } from "../naming";
import { DESTINATION_BUCKET_ACTIONS } from "../perms";
import { type GrantPurpose, groupByResources, inActionOrder, objectGrants } from "./object-grants";
import { oneOrMany, type PolicyDocument, policyDocument, type Statement } from "./policy-document";
import { rulesInto } from "./role-policy";
import { organizationRoles, sourceRoles } from "./source-grants";
import { tlsOnlyStatement } from "./tls-only";

/** The Sid of a source's statement for each purpose (a shared bucket appends the source's number). */
const SOURCE_SIDS: Readonly<Record<GrantPurpose, string>> = {
  replicate: BUCKET_POLICY_SIDS.replication,
  deleteMarkers: BUCKET_POLICY_SIDS.deleteMarkers,
  ownerOverride: BUCKET_POLICY_SIDS.ownerOverride,
};

/**
 * The statements the rules of one source need: replicas and tags on their prefixes, delete
 * markers and owner override only where a rule asks for them (in the same statement when on the
 * same objects).
 */
function sourceStatements(
  rules: Replication["rules"],
  destination: DestinationBucket,
  grantee: Pick<Statement, "Principal" | "Condition">,
  sid: (purpose: GrantPurpose) => string,
): Statement[] {
  const resources = objectGrants(rules).map((grant): [GrantPurpose, string[]] => [
    grant.purpose,
    grant.prefixes.map((p) => objectsArn(destination.partition, destination.bucket, p)),
  ]);
  return groupByResources(resources).map((group) => ({
    Sid: sid(group.purposes[0]),
    Effect: "Allow",
    ...grantee,
    Action: oneOrMany(group.actions),
    Resource: oneOrMany(group.resources),
  }));
}

/**
 * The destination bucket's whole policy: the replication role (its exact ARN, path included) may
 * write replicas under the rules' prefixes, and delete markers and owner override only where a
 * rule needs them; then (on a bucket this project creates) TLS-only access, then the statements
 * the config asks to keep. aws_s3_bucket_policy replaces the bucket's policy, so anything else on
 * the bucket today is removed on apply.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function destinationBucketPolicy(replication: Replication, destination: DestinationBucket): PolicyDocument {
  const principal = { Principal: { AWS: replication.role.arn } };
  return policyDocument([
    ...sourceStatements(
      rulesInto(replication, destination.bucket),
      destination,
      principal,
      (purpose) => SOURCE_SIDS[purpose],
    ),
    {
      Sid: BUCKET_POLICY_SIDS.versioningCheck,
      Effect: "Allow",
      ...principal,
      Action: [...DESTINATION_BUCKET_ACTIONS],
      Resource: destination.arn,
    },
    ...(destination.create ? [tlsOnlyStatement(destination)] : []),
    ...destination.additionalStatements,
  ]);
}

/**
 * The organization's grant: every member account's replication role, each under its own part of
 * the bucket (the account id written as the aws:PrincipalAccount policy variable), so that one
 * member cannot overwrite or delete-mark another's objects. One statement: every purpose has that
 * one resource. Delete markers and owner override only when a listed source needs them.
 */
function organizationStatement(shared: SharedDestination, organization: OrganizationGrant): Statement {
  const d = shared.destination;
  const { before, after } = organization.accountPrefix;
  const grants = objectGrants(shared.sources.flatMap((r) => rulesInto(r, d.bucket)));
  return {
    Sid: BUCKET_POLICY_SIDS.organization,
    Effect: "Allow",
    ...organizationRoles(organization),
    Action: oneOrMany(inActionOrder(grants.flatMap((g) => g.actions))),
    Resource: accountObjectsArn(d.partition, d.bucket, before, after),
  };
}

/**
 * The whole policy of a bucket several sources share, written once by its destination stack.
 * Each source gets its own statements: its account, narrowed to its role by aws:PrincipalArn, on
 * its own key prefixes. In organization mode one set of statements covers every member account's
 * replication role instead, each account in its own part of the bucket. Then TLS-only (created
 * buckets) and the kept statements.
 */
export function sharedDestinationBucketPolicy(shared: SharedDestination): PolicyDocument {
  const d = shared.destination;
  const grants: Statement[] = shared.organization
    ? [organizationStatement(shared, shared.organization)]
    : shared.sources.flatMap((r, n) =>
        sourceStatements(rulesInto(r, d.bucket), d, sourceRoles([r]), (purpose) =>
          sourceGrantSid(n + 1, SOURCE_SIDS[purpose]),
        ),
      );
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
