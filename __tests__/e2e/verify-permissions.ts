/**
 * The `verify` operator policy measured both ways against the calls the commands really make,
 * through the recording proxy in front of the emulator (as operator-permissions.ts does for plan
 * and apply): examples/kms.json with Replication Time Control on its first rule (so the metrics
 * are read) is planned and applied; then `npm run verify -- --canary` runs on it. Every call
 * verify makes, Terraform's plan and the SDK's, must be allowed by the policy `npm run
 * operator-policy` prints for its account and `verify`; every write the plan and apply made (what
 * verify does not need) must be denied by it. Decided by iam-simulate.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allowedBy } from "../helpers/operator-decision";
import { startEmulator } from "./emulator";
import { generatedPolicies, policyOf, recordedStage, requestsOf } from "./operator-permissions";
import type { Outcome } from "./own-emulator";
import { configCopy, npmRun } from "./safe-apply";
import { PROJECT_ROOT, prepare, type ScenarioOptions } from "./scenario";
import { failuresIn, verifyRun } from "./verify-lifecycle";

/** What only reads: a write is any other action. */
const READ = /^[a-z0-9-]+:(Get|List|Describe|Head|Simulate)/;

function kmsWithMetrics(dir: string): string {
  const file = configCopy(join(PROJECT_ROOT, "examples", "kms.json"), dir);
  const config = JSON.parse(readFileSync(file, "utf8"));
  config.replications[0].rules[0].replicationTime = { minutes: 15 };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

async function verifyPermissions(options: ScenarioOptions): Promise<Outcome> {
  const name = "proof-operator-permissions-verify";
  const emulator = await startEmulator();
  try {
    const dir = join(options.workDir, name);
    mkdirSync(dir, { recursive: true });
    const stage = await prepare(emulator, kmsWithMetrics(dir), dir, options.providerVersion, options.mirror);
    const accounts = await generatedPolicies(stage, stage.configFile);
    const { proxy, recorded, mapper } = await recordedStage(stage, emulator);
    const problems: string[] = [];
    try {
      for (const args of [
        ["plan", "--replace-existing"],
        ["apply", "--auto-approve"],
      ]) {
        const result = await npmRun(recorded, stage.configFile, args);
        if (result.code !== 0) problems.push(`${args[0]} exited ${result.code}: ${result.stderr.trim().slice(-300)}`);
      }
      const writes = requestsOf(mapper, proxy.take(), "apply", problems).filter((r) => !READ.test(r.action));
      const outcome = await verifyRun(recorded, ["--canary"], "permissions");
      const calls = proxy.take();
      if (outcome.code !== 0)
        problems.push(`verify exited ${outcome.code}: ${failuresIn(outcome.report).join("; ") || outcome.stderr}`);
      const made = requestsOf(mapper, calls, "verify", problems);
      const actions = new Set<string>();
      for (const request of made) {
        actions.add(request.action);
        if (!(await allowedBy(policyOf(accounts, request, "verify"), request)))
          problems.push(`verify: ${request.action} on ${request.resource} in ${request.accountId} denied`);
      }
      let denied = 0;
      for (const request of writes) {
        if (await allowedBy(policyOf(accounts, request, "verify"), request))
          problems.push(`apply's ${request.action} on ${request.resource} allowed to verify`);
        else denied++;
      }
      if (writes.length === 0) problems.push("apply made no write: nothing was measured");
      const distinct = [...new Set(problems)];
      return distinct.length === 0
        ? {
            passed: true,
            result: `verify --canary ${calls.length} calls (${actions.size} distinct IAM actions), every one allowed; plan and apply's ${denied} writes all denied`,
          }
        : { passed: false, result: `${distinct.length} problems: ${distinct.join("; ")}` };
    } finally {
      await proxy.close();
    }
  } finally {
    await emulator.stop();
  }
}

/** Id, what it proves, and the proof, as in proofs.ts. */
export const VERIFY_PERMISSION_PROOF = [
  "proof-operator-permissions-verify",
  "every call of verify --canary allowed by the verify operator policy, every write of plan and apply denied by it (examples/kms.json with RTC)",
  verifyPermissions,
] as const;
