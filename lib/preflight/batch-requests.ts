/**
 * The requests S3 Batch Operations makes for `npm run backfill` (Batch Replication with an
 * S3-generated manifest, what-s3-sends.ts), evaluated against the stack's Batch Replication role.
 */

import { type CheckResult, fail, HELP, pass } from "../check-result";
import { type SimulatedRequest, simulate } from "./simulator";
import { accountOf, type StackFacts } from "./stack-facts";
import { ASSUMES_ROLE, BATCH_OPERATIONS_PRINCIPAL, BATCH_REPLICATION } from "./what-s3-sends";

export async function batchRequests(facts: StackFacts): Promise<CheckResult[]> {
  const { replication, batchRole: role } = facts;
  if (!replication || !role) return [];
  const account = accountOf(facts.providers, replication.provider) ?? "unknown";
  const s3 = `arn:${role.arn.split(":")[1]}:s3:::`;
  const report = String(facts.output("batch_replication_report_location") ?? "").replace(/^s3:\/\//, "");
  const identityPolicies = role.inlinePolicies.map((p) => p.policy);
  const asRole = (action: string, resource: string): SimulatedRequest => ({
    principal: role.arn,
    action,
    resource,
    resourceAccount: account,
    context: {},
    identityPolicies,
  });
  const requests: SimulatedRequest[] = [
    {
      principal: BATCH_OPERATIONS_PRINCIPAL,
      action: ASSUMES_ROLE.action,
      resource: role.arn,
      resourceAccount: account,
      context: {},
      identityPolicies: [],
      resourcePolicy: role.trustPolicy,
    },
    ...BATCH_REPLICATION.map(({ action, on }) =>
      asRole(
        action,
        on === "sourceObject"
          ? `${s3}${replication.sourceBucket}/preflight/preflight-sample.txt`
          : on === "sourceBucket"
            ? `${s3}${replication.sourceBucket}`
            : `${s3}${report}job-preflight/report.csv`,
      ),
    ),
  ];
  const results: CheckResult[] = [];
  for (const request of requests) {
    const outcome = await simulate(request);
    const base = {
      stack: facts.stack.name,
      rule: "(batch replication)",
      check: request.action,
      principal: request.principal,
      resource: request.resource,
    };
    results.push(
      outcome.decision === "Allowed"
        ? pass(base)
        : fail({ ...base, detail: outcome.message ?? outcome.decision, help: HELP.batch }),
    );
  }
  return results;
}
