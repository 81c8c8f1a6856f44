import { type CheckReport, checkReport } from "../check-report";
import type { CheckResult } from "../check-result";
import { batchRequests } from "./batch-requests";
import { checkActionNames } from "./checks/action-names";
import { checkBucketPolicyOwners } from "./checks/bucket-policy-owners";
import { checkDocumentOwners } from "./checks/document-owners";
import { checkNoCredentials } from "./checks/no-credentials";
import { checkPinnedProviders } from "./checks/pinned-providers";
import { checkPolicyOrder } from "./checks/policy-order";
import { checkProviderAccounts } from "./checks/provider-accounts";
import { checkRoleWildcards } from "./checks/role-wildcards";
import { checkVersioning } from "./checks/versioning";
import { deniedRequests } from "./denied-requests";
import { replicationRequests } from "./replication-requests";
import { outputFacts } from "./stack-facts";
import { readStacks, type StackJson } from "./terraform-json";

export type PreflightReport = CheckReport;

/**
 * Runs every check on already-read stacks (tests pass mutated JSON here): per replication (a stack
 * of several has several) the requests S3 makes and must not be able to make, the order of its
 * configuration and the accounts of its resources; per stack its documents' owners, its roles'
 * wildcards, its providers and its credentials.
 */
export async function preflightStacks(stacks: readonly StackJson[]): Promise<PreflightReport> {
  const output = outputFacts(stacks);
  const results: CheckResult[] = [];
  for (const root of output.roots) {
    const replications = output.stacks.filter((f) => f.stack === root.stack);
    for (const facts of replications) {
      results.push(
        ...(await replicationRequests(facts, output)),
        ...(await deniedRequests(facts, output)),
        ...(await batchRequests(facts)),
        ...checkVersioning(facts, output),
        ...checkPolicyOrder(facts, output),
      );
    }
    results.push(...checkBucketPolicyOwners(root, output), ...checkDocumentOwners(root, output));
    for (const facts of replications) results.push(...checkProviderAccounts(facts, output));
    results.push(...checkRoleWildcards(root), ...checkPinnedProviders(root), ...checkNoCredentials(root));
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
