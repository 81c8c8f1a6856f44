import type { ContextEntry } from "@aws-sdk/client-iam";
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { sortedKeysJson } from "../../../canonical-json";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import type { BucketLocation } from "../../../config/model";
import {
  KMS_DECRYPT_ACTION,
  KMS_RESOURCE_ALIASES,
  KMS_S3_CONTEXT,
  KMS_VIA_SERVICE,
  OBJECT_LOCK_SOURCE_ACTIONS,
  S3_RESOURCE_ACCOUNT,
  SOURCE_BUCKET_ACTIONS,
  SOURCE_OBJECT_ACTIONS,
  s3ServiceEndpoint,
} from "../../../perms";
import { kmsDestinations, replicaKeyActions } from "../../../policies/kms-policies";
import { objectGrants } from "../../../policies/object-grants";
import { trustPolicy } from "../../../policies/trust-policy";
import { attempt, checkEach, clientsOf, type DoctorContext, replicaKeyArn, sampleObjectArn } from "../doctor-context";

/** The role exists with the declared ARN and trust policy (IAM GetRole). */
export async function checkRole(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const base = {
    stack: replication.stackName,
    check: "replication role",
    resource: replication.role.arn,
    help: HELP.assumeRole,
  };
  return attempt(base, async () => {
    const { Role } = await clientsOf(ctx, replication.source).iam.send(
      new GetRoleCommand({ RoleName: replication.role.name }),
    );
    const problems: string[] = [];
    if (Role?.Arn !== replication.role.arn) problems.push(`ARN is ${Role?.Arn}`);
    const live = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}"));
    if (sortedKeysJson(live) !== sortedKeysJson(trustPolicy(replication))) {
      problems.push(`trust policy differs from the declared one: ${JSON.stringify(live)}`);
    }
    return problems.length === 0 ? pass({ ...base, help: undefined }) : fail({ ...base, detail: problems.join("; ") });
  });
}

interface SimulatedGroup {
  readonly actions: string[];
  readonly resource: string;
  readonly context: ContextEntry[];
  readonly help: string;
}

const entry = (name: string, values: string[], type: "string" | "stringList" = "string"): ContextEntry => ({
  ContextKeyName: name,
  ContextKeyType: type,
  ContextKeyValues: values,
});

/**
 * What KMS sees when S3 uses a key for the role: S3 in the key's Region (kms:ViaService) and the
 * object's ARN as encryption context, or the bucket's with S3 Bucket Keys.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
function kmsContext(bucket: BucketLocation & { bucketKeyEnabled?: boolean }, prefix: string | undefined) {
  return [
    entry(KMS_VIA_SERVICE, [s3ServiceEndpoint(bucket.region)]),
    entry(KMS_S3_CONTEXT, [bucket.bucketKeyEnabled ? bucket.arn : sampleObjectArn(bucket, prefix)]),
  ];
}

/** The role's KMS requests: decrypting with each source key, encrypting with each replica key. */
async function kmsGroups(ctx: DoctorContext): Promise<SimulatedGroup[]> {
  const { replication } = ctx;
  const { source } = replication;
  const groups: SimulatedGroup[] = [];
  for (const rule of replication.rules.filter((r) => r.enabled && r.replicateSseKms)) {
    for (const key of source.sseKmsKeyArns) {
      groups.push({
        actions: [KMS_DECRYPT_ACTION],
        resource: key,
        context: kmsContext(source, rule.filter.prefix),
        help: HELP.kms,
      });
    }
  }
  for (const destination of kmsDestinations(replication)) {
    const key = await replicaKeyArn(ctx, destination);
    if (!key) continue;
    const rule = replication.rules.find(
      (r) => r.enabled && r.replicateSseKms && r.destination.bucket === destination.bucket,
    );
    const aliases =
      destination.replicaKms?.kind === "created"
        ? [entry(KMS_RESOURCE_ALIASES, [destination.replicaKms.alias], "stringList")]
        : [];
    groups.push({
      actions: replicaKeyActions(destination),
      resource: key,
      context: [...kmsContext(destination, rule?.filter.prefix), ...aliases],
      help: HELP.kms,
    });
  }
  // Rules that share a key and an encryption context ask the same question once.
  return [...new Map(groups.map((g) => [JSON.stringify([g.actions, g.resource, g.context]), g])).values()];
}

/**
 * IAM's own simulator (SimulatePrincipalPolicy) allows the role every action replication uses, on
 * the source bucket, a source object and a destination object of every rule (with the destination
 * account as s3:ResourceAccount), and every KMS action on each source and replica key with the
 * context S3 gives KMS. It reads the role's policies only: the destination bucket policy and the
 * key policies are checked separately.
 */
export async function checkRoleSimulation(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const { source } = replication;
  const groups: SimulatedGroup[] = [
    { actions: [...SOURCE_BUCKET_ACTIONS], resource: source.arn, context: [], help: HELP.accessDenied },
  ];
  for (const rule of replication.rules.filter((r) => r.enabled)) {
    groups.push(
      {
        actions: [...SOURCE_OBJECT_ACTIONS, ...(source.objectLock ? OBJECT_LOCK_SOURCE_ACTIONS : [])],
        resource: sampleObjectArn(source, rule.filter.prefix),
        context: [],
        help: HELP.accessDenied,
      },
      {
        actions: objectGrants([rule]).flatMap((grant) => grant.actions),
        resource: sampleObjectArn(rule.destination, rule.filter.prefix),
        // The role writes only into buckets the destination account owns: S3 supplies the owner.
        context: [entry(S3_RESOURCE_ACCOUNT, [rule.destination.account.accountId])],
        help: HELP.accessDenied,
      },
    );
  }
  // A replica key that cannot be found is the key-policy check's finding, not this one's.
  const kms = await kmsGroups(ctx).catch(() => []);
  return checkEach(
    [...groups, ...kms],
    (group) => ({
      stack: replication.stackName,
      check: "IAM simulation",
      principal: replication.role.arn,
      resource: group.resource,
      help: group.help,
    }),
    async (group, base) => {
      const { EvaluationResults = [] } = await clientsOf(ctx, source).iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: replication.role.arn,
          ActionNames: group.actions,
          ResourceArns: [group.resource],
          ...(group.context.length > 0 && { ContextEntries: group.context }),
        }),
      );
      const denied = group.actions.filter(
        (action) => EvaluationResults.find((r) => r.EvalActionName === action)?.EvalDecision !== "allowed",
      );
      return denied.length === 0
        ? pass({ ...base, help: undefined, detail: group.actions.join(", ") })
        : fail({ ...base, detail: `not allowed: ${denied.join(", ")}` });
    },
  );
}
