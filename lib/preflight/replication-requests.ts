/**
 * The requests S3 makes to replicate one object under one rule, evaluated against the synthesized
 * policies: S3 assuming the role, the reads on the source, the writes on the destination (a
 * cross-account request: the role's policy and the destination bucket policy must both allow),
 * owner override, and KMS.
 */

import { type CheckResult, fail, HELP, pass } from "../check-result";
import {
  DESTINATION_OBJECT_ACTIONS,
  KMS_DECRYPT_ACTION,
  KMS_REPLICA_ACTIONS,
  KMS_S3_CONTEXT,
  KMS_VIA_SERVICE,
  OWNER_OVERRIDE_ACTION,
  S3_SERVICE_PRINCIPAL,
  SOURCE_BUCKET_ACTIONS,
  SOURCE_OBJECT_ACTIONS,
  s3ServiceEndpoint,
} from "../perms";
import { PRINCIPAL_ARN, PRINCIPAL_ORG_ID } from "../policies/source-grants";
import { sampleKey } from "./sample-key";
import { type SimulatedRequest, simulate } from "./simulator";
import { accountOf, type OutputFacts, type RoleFacts, type RuleFacts, type StackFacts } from "./stack-facts";
import { asList, type Json, statementsOf } from "./terraform-json";

interface Planned {
  readonly request: SimulatedRequest;
  readonly help: string;
  readonly note?: string;
}

/** The keys the role may decrypt with through S3 in `region`: read from its own policies. */
function sourceKeys(role: RoleFacts, region: string): string[] {
  const keys = role.inlinePolicies.flatMap((p) =>
    statementsOf(p.policy).flatMap((s) =>
      s.Effect === "Allow" &&
      asList<string>(s.Action).includes(KMS_DECRYPT_ACTION) &&
      asList<string>(s.Condition?.StringEquals?.[KMS_VIA_SERVICE]).includes(s3ServiceEndpoint(region))
        ? asList<string>(s.Resource)
        : [],
    ),
  );
  return [...new Set(keys)];
}

function plan(facts: StackFacts, output: OutputFacts, role: RoleFacts, rule: RuleFacts): Planned[] | CheckResult {
  const replication = facts.replication as NonNullable<StackFacts["replication"]>;
  const sourceAccount = accountOf(facts.providers, replication.provider) ?? "unknown";
  const sourceRegion = facts.providers.get(replication.provider)?.region ?? "unknown";
  const source = replication.sourceBucket;
  const key = sampleKey(rule);
  const s3 = `arn:${role.arn.split(":")[1]}:s3:::`;
  const identity = role.inlinePolicies.map((p) => p.policy);
  const bucketPolicy = (bucket: string) => output.bucketPolicies.find((p) => p.bucket === bucket)?.policy;
  const principalContext = principalKeys(role, sourceAccount, output);
  const asRole = (action: string, resource: string, account: string, extra: Partial<SimulatedRequest> = {}) => ({
    principal: role.arn,
    action,
    resource,
    resourceAccount: account,
    identityPolicies: identity,
    ...extra,
    context: { ...principalContext.context, ...extra.context },
  });
  const destinationNote = principalContext.note;

  const planned: Planned[] = [
    {
      request: {
        principal: S3_SERVICE_PRINCIPAL,
        action: "sts:AssumeRole",
        resource: role.arn,
        resourceAccount: sourceAccount,
        context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": `${s3}${source}` },
        identityPolicies: [],
        resourcePolicy: role.trustPolicy,
      },
      help: HELP.assumeRole,
    },
    ...SOURCE_BUCKET_ACTIONS.map((action) => ({
      request: asRole(action, `${s3}${source}`, sourceAccount, { resourcePolicy: bucketPolicy(source) }),
      help: HELP.accessDenied,
    })),
    ...SOURCE_OBJECT_ACTIONS.map((action) => ({
      request: asRole(action, `${s3}${source}/${key}`, sourceAccount, { resourcePolicy: bucketPolicy(source) }),
      help: HELP.accessDenied,
    })),
    ...DESTINATION_OBJECT_ACTIONS.filter((a) => a !== "s3:ReplicateDelete" || rule.deleteMarkerReplication).map(
      (action) => ({
        request: asRole(action, `${s3}${rule.destinationBucket}/${key}`, rule.destinationAccount, {
          resourcePolicy: bucketPolicy(rule.destinationBucket),
        }),
        help: HELP.accessDenied,
        note: destinationNote,
      }),
    ),
    ...(rule.ownerOverride
      ? [
          {
            request: asRole(OWNER_OVERRIDE_ACTION, `${s3}${rule.destinationBucket}/${key}`, rule.destinationAccount, {
              resourcePolicy: bucketPolicy(rule.destinationBucket),
            }),
            help: HELP.ownerOverride,
            note: destinationNote,
          },
        ]
      : []),
  ];
  if (!rule.sseKms) return planned;

  const keys = sourceKeys(role, sourceRegion);
  if (keys.length === 0) {
    return fail({
      stack: facts.stack.name,
      rule: rule.id,
      check: KMS_DECRYPT_ACTION,
      principal: role.arn,
      detail: `the rule replicates SSE-KMS objects, but no role policy allows kms:Decrypt via ${s3ServiceEndpoint(sourceRegion)}`,
      help: HELP.kms,
    });
  }
  for (const keyArn of keys) {
    const keyPolicy = keyPolicyFor(keyArn, facts, output);
    planned.push({
      request: asRole(KMS_DECRYPT_ACTION, keyArn, keyArn.split(":")[4] ?? sourceAccount, {
        context: {
          [KMS_VIA_SERVICE]: s3ServiceEndpoint(sourceRegion),
          [KMS_S3_CONTEXT]: `${s3}${source}/${key}`,
        },
        resourcePolicy: keyPolicy.policy,
      }),
      help: HELP.kms,
      note: keyPolicy.note,
    });
  }
  // A shared destination's key is named by its alias ARN; KMS authorizes against the key it names.
  const replicaKey = output.aliases.find((a) => a.arn === rule.replicaKeyArn)?.keyArn ?? rule.replicaKeyArn;
  if (!replicaKey) return planned;
  const keyPolicy = keyPolicyFor(replicaKey, facts, output);
  const [, , , keyRegion, keyAccount] = replicaKey.split(":");
  for (const action of KMS_REPLICA_ACTIONS) {
    planned.push({
      request: asRole(action, replicaKey, keyAccount, {
        context: {
          [KMS_VIA_SERVICE]: s3ServiceEndpoint(keyRegion),
          [KMS_S3_CONTEXT]: `${s3}${rule.destinationBucket}/${key}`,
        },
        resourcePolicy: keyPolicy.policy,
      }),
      help: HELP.kms,
      note: [keyPolicy.note, destinationNote].filter(Boolean).join("; ") || undefined,
    });
  }
  return planned;
}

/** The organization ids the output's bucket and key policies grant through aws:PrincipalOrgID. */
function organizationIds(output: OutputFacts): string[] {
  const policies = [...output.bucketPolicies.map((p) => p.policy), ...output.keys.map((k) => k.policy)];
  const ids = policies.flatMap((policy) =>
    statementsOf(policy).flatMap((s) => asList<string>(s.Condition?.StringEquals?.[PRINCIPAL_ORG_ID])),
  );
  return [...new Set(ids)];
}

/**
 * What AWS puts in the request context about the role: aws:PrincipalArn is the role's ARN (not the
 * session's) and aws:PrincipalAccount its account. Organization membership cannot be read from the
 * JSON: where a policy grants an organization, the source account is assumed to be a member, and
 * the result says so.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
function principalKeys(
  role: RoleFacts,
  account: string,
  output: OutputFacts,
): { context: Record<string, string>; note?: string } {
  const context: Record<string, string> = { [PRINCIPAL_ARN]: role.arn, "aws:PrincipalAccount": account };
  const [organization, ...others] = organizationIds(output);
  if (!organization) return { context };
  if (others.length > 0) {
    return {
      context,
      note: `policies grant several organizations (${[organization, ...others].join(", ")}): membership not assumed`,
    };
  }
  return {
    context: { ...context, [PRINCIPAL_ORG_ID]: organization },
    note: `assumes account ${account} is a member of organization ${organization}`,
  };
}

/**
 * The key policy a KMS request is evaluated against: the key's own when the stack creates it;
 * otherwise AWS's default key policy (the key's account administers it through IAM) plus, for a
 * replica key, the statement the stack outputs for its owner to add. Said in the result's note.
 */
function keyPolicyFor(keyArn: string, facts: StackFacts, output: OutputFacts): { policy: Json; note?: string } {
  const declared = output.keys.find((k) => k.arn === keyArn);
  if (declared) return { policy: declared.policy };
  const [, partition, , , account] = keyArn.split(":");
  const statements: Json[] = [
    {
      Sid: "EnableIamPolicies",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  // The statement is output by the stack that names the key: the source's, or its shared destination's.
  const owed = [facts, ...output.stacks]
    .map((f) => f.stack.json.output?.replica_key_policy_statements?.value?.[keyArn])
    .find(Boolean);
  if (owed) statements.push(JSON.parse(owed));
  return {
    policy: { Version: "2012-10-17", Statement: statements },
    note: owed
      ? "key not in the JSON: assumes its default key policy plus the statement in output replica_key_policy_statements"
      : "key not in the JSON: assumes its default key policy",
  };
}

/** Every request of every enabled rule of one stack, evaluated. */
export async function replicationRequests(facts: StackFacts, output: OutputFacts): Promise<CheckResult[]> {
  const { replication, role } = facts;
  if (!replication || !role) return [];
  const results: CheckResult[] = [];
  for (const rule of replication.rules.filter((r) => r.enabled)) {
    const planned = plan(facts, output, role, rule);
    if (!Array.isArray(planned)) {
      results.push(planned);
      continue;
    }
    for (const { request, help, note } of planned) {
      const outcome = await simulate(request);
      const base = {
        stack: facts.stack.name,
        rule: rule.id,
        check: request.action,
        principal: request.principal,
        resource: request.resource,
      };
      results.push(
        outcome.decision === "Allowed"
          ? pass({ ...base, detail: note })
          : fail({ ...base, detail: outcome.message ?? outcome.decision, help }),
      );
    }
  }
  return results;
}
