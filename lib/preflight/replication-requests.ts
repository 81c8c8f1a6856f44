/**
 * The requests S3 makes to replicate one object under one rule (what-s3-sends.ts), evaluated
 * against the synthesized policies: S3 assuming the role, the reads on the source, the writes on
 * the destination (a cross-account request: the role's policy and the destination bucket policy
 * must both allow), delete markers and owner override where the rule asks for them, and KMS.
 */

import { type CheckResult, fail, HELP, pass } from "../check-result";
import {
  destinationOf,
  keyDestination,
  principalNote,
  type RoleRequests,
  replicaKeyOf,
  roleRequests,
} from "./request-context";
import { sampleKey } from "./sample-key";
import { type SimulatedRequest, simulate } from "./simulator";
import type { OutputFacts, RuleFacts, StackFacts } from "./stack-facts";
import {
  ASSUMES_ROLE,
  CONTEXT,
  DECRYPTS_SOURCE,
  ENCRYPTS_REPLICA,
  OVERRIDES_OWNER,
  requestsOf,
  S3_PRINCIPAL,
  s3Endpoint,
} from "./what-s3-sends";

interface Planned {
  readonly request: SimulatedRequest;
  readonly help: string;
  readonly note?: string;
}

function plan(requests: RoleRequests, rule: RuleFacts): Planned[] | CheckResult {
  const { facts, output, role, replication, s3, sourceAccount, sourceRegion } = requests;
  const source = replication.sourceBucket;
  const key = sampleKey(rule);

  const planned: Planned[] = [
    {
      request: {
        principal: S3_PRINCIPAL,
        action: ASSUMES_ROLE.action,
        resource: role.arn,
        resourceAccount: sourceAccount,
        context: { [CONTEXT.sourceAccount]: sourceAccount, [CONTEXT.sourceArn]: `${s3}${source}` },
        identityPolicies: [],
        resourcePolicy: role.trustPolicy,
      },
      help: HELP.assumeRole,
    },
    ...requestsOf(rule).map((request) => {
      const to = destinationOf(requests, request.on, rule);
      return {
        request: requests.asRole(request.action, to),
        help: request === OVERRIDES_OWNER ? HELP.ownerOverride : HELP.accessDenied,
        note: to.note,
      };
    }),
  ];
  if (!rule.sseKms) return planned;

  const keys = requests.sourceKeys();
  if (keys.length === 0) {
    return fail({
      stack: facts.stack.name,
      rule: rule.id,
      check: DECRYPTS_SOURCE.action,
      principal: role.arn,
      detail: `the rule replicates SSE-KMS objects, but no role policy allows ${DECRYPTS_SOURCE.action} via ${s3Endpoint(sourceRegion)}`,
      help: HELP.kms,
    });
  }
  for (const keyArn of keys) {
    const to = keyDestination(requests, keyArn, `${s3}${source}/${key}`, sourceRegion);
    planned.push({ request: requests.asRole(DECRYPTS_SOURCE.action, to), help: HELP.kms, note: to.note });
  }
  const replicaKey = replicaKeyOf(rule, output);
  if (!replicaKey) return planned;
  const to = keyDestination(requests, replicaKey, `${s3}${rule.destinationBucket}/${key}`, replicaKey.split(":")[3]);
  for (const request of ENCRYPTS_REPLICA) {
    planned.push({
      request: requests.asRole(request.action, to),
      help: HELP.kms,
      note: [to.note, principalNote(requests)].filter(Boolean).join("; ") || undefined,
    });
  }
  return planned;
}

/** Every request of every enabled rule of one stack, evaluated. */
export async function replicationRequests(facts: StackFacts, output: OutputFacts): Promise<CheckResult[]> {
  const requests = roleRequests(facts, output);
  if (!requests) return [];
  const results: CheckResult[] = [];
  for (const rule of requests.replication.rules.filter((r) => r.enabled)) {
    const planned = plan(requests, rule);
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
          : // The note says what the simulation assumed (or could not): a denial is read with it.
            fail({ ...base, detail: [outcome.message ?? outcome.decision, note].filter(Boolean).join("; "), help }),
      );
    }
  }
  return results;
}
