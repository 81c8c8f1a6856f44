import { type CheckReport, checkReport } from "../check-report";
import type { CheckResult } from "../check-result";
import { batchRequests } from "./batch-requests";
import { checkActionNames } from "./checks/action-names";
import { checkBucketPolicyOwners } from "./checks/bucket-policy-owners";
import { checkNoCredentials } from "./checks/no-credentials";
import { checkPinnedProviders } from "./checks/pinned-providers";
import { checkProviderAccounts } from "./checks/provider-accounts";
import { checkRoleWildcards } from "./checks/role-wildcards";
import { checkVersioning } from "./checks/versioning";
import { deniedRequests } from "./denied-requests";
import { replicationRequests } from "./replication-requests";
import { outputFacts } from "./stack-facts";
import { readStacks, type StackJson } from "./terraform-json";

export type PreflightReport = CheckReport;

/** Runs every check on already-read stacks (tests pass mutated JSON here). */
export async function preflightStacks(stacks: readonly StackJson[]): Promise<PreflightReport> {
  const output = outputFacts(stacks);
  const results: CheckResult[] = [];
  for (const facts of output.stacks) {
    results.push(
      ...(await replicationRequests(facts, output)),
      ...(await deniedRequests(facts, output)),
      ...(await batchRequests(facts)),
      ...checkVersioning(facts, output),
      ...checkBucketPolicyOwners(facts, output),
      ...checkProviderAccounts(facts, output),
      ...checkRoleWildcards(facts),
      ...checkPinnedProviders(facts),
      ...checkNoCredentials(facts),
    );
  }
  results.push(...(await checkActionNames(output)));
  return checkReport(
    stacks.map((s) => s.name),
    results,
  );
}

/** Reads <outdir>/stacks/*\/cdk.tf.json and runs every check. */
export function preflight(outdir: string): Promise<PreflightReport> {
  return preflightStacks(readStacks(outdir));
}
