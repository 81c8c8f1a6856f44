import type { CheckResult } from "../../check-result";
import { type CanaryOptions, runCanary } from "./canary";
import { checkBucketEncryption } from "./checks/bucket-encryption";
import { checkBucketPolicies } from "./checks/bucket-policy";
import { checkCredentials } from "./checks/credentials";
import { checkKeyPolicies } from "./checks/key-policies";
import { checkObjectOwnership } from "./checks/object-ownership";
import { checkReplicationConfiguration } from "./checks/replication-configuration";
import { checkRole, checkRoleSimulation } from "./checks/role";
import { checkVersioning } from "./checks/versioning";
import type { DoctorContext } from "./doctor-context";

const CHECKS = [
  checkCredentials,
  checkVersioning,
  checkReplicationConfiguration,
  checkRole,
  checkRoleSimulation,
  checkBucketPolicies,
  checkObjectOwnership,
  checkKeyPolicies,
  checkBucketEncryption,
];

/**
 * Checks a live replication against what its stack declares. Credentials come first: with the
 * wrong account, every other answer would be about someone else's buckets.
 */
export async function runDoctor(ctx: DoctorContext, canary?: CanaryOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    results.push(...(await check(ctx)));
    if (check === checkCredentials && results.some((r) => !r.passed)) return results;
  }
  if (canary) results.push(...(await runCanary(ctx, canary)));
  return results;
}
