import { GetRoleCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { sortedKeysJson } from "../../../canonical-json";
import { type CheckResult, fail, HELP, pass } from "../../../check-result";
import {
  OBJECT_LOCK_SOURCE_ACTIONS,
  S3_RESOURCE_ACCOUNT,
  SOURCE_BUCKET_ACTIONS,
  SOURCE_OBJECT_ACTIONS,
} from "../../../perms";
import { objectGrants } from "../../../policies/object-grants";
import { trustPolicy } from "../../../policies/trust-policy";
import { attempt, checkEach, clientsOf, type DoctorContext, sampleObjectArn } from "../doctor-context";

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

/**
 * IAM's own simulator (SimulatePrincipalPolicy) allows the role every action replication uses, on
 * the source bucket, a source object and a destination object of every rule (with the destination
 * account as s3:ResourceAccount). It reads the role's policies only: the destination bucket policy
 * is checked separately.
 */
export async function checkRoleSimulation(ctx: DoctorContext): Promise<CheckResult[]> {
  const { replication } = ctx;
  const { source } = replication;
  const groups: Array<{ actions: string[]; resource: string; resourceAccount?: string }> = [
    { actions: [...SOURCE_BUCKET_ACTIONS], resource: source.arn },
  ];
  for (const rule of replication.rules.filter((r) => r.enabled)) {
    groups.push(
      {
        actions: [...SOURCE_OBJECT_ACTIONS, ...(source.objectLock ? OBJECT_LOCK_SOURCE_ACTIONS : [])],
        resource: sampleObjectArn(source, rule.filter.prefix),
      },
      {
        actions: objectGrants([rule]).flatMap((grant) => grant.actions),
        resource: sampleObjectArn(rule.destination, rule.filter.prefix),
        resourceAccount: rule.destination.account.accountId,
      },
    );
  }
  return checkEach(
    groups,
    (group) => ({
      stack: replication.stackName,
      check: "IAM simulation",
      principal: replication.role.arn,
      resource: group.resource,
      help: HELP.accessDenied,
    }),
    async (group, base) => {
      const { EvaluationResults = [] } = await clientsOf(ctx, source).iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: replication.role.arn,
          ActionNames: group.actions,
          ResourceArns: [group.resource],
          // The role writes only into buckets the destination account owns: S3 supplies the owner.
          ...(group.resourceAccount && {
            ContextEntries: [
              {
                ContextKeyName: S3_RESOURCE_ACCOUNT,
                ContextKeyType: "string",
                ContextKeyValues: [group.resourceAccount],
              },
            ],
          }),
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
