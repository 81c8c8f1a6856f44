/**
 * `npm run verify` in the per-config lifecycle, against the emulator that already holds the
 * applied stacks (no emulator or apply of its own): healthy right after the apply; unhealthy after
 * a change made outside Terraform; and, for examples/kms.json, one break at a time (the
 * destination bucket policy's grant, the role's KMS permission, the destination's versioning
 * suspended), each turning the canary and verify red with the troubleshooting section that
 * explains it; after each fix `doctor --canary` is green again, and after the last verify is.
 * Each report is kept in the config's work directory (verify-<step>.json).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { VerifyReport } from "../../lib/ops/verify/verify";
import { run } from "./command";
import { doctorVerdict } from "./doctor-verdict";
import { s3Of } from "./safe-apply";
import { PROJECT_ROOT, type Stage } from "./scenario";

/** The sections of help/troubleshooting.md, as written there: literal, not read from the code under test. */
export const LINKS = {
  canaryFailed: "help/troubleshooting.md#replication-status-shows-failed",
  drift: "help/troubleshooting.md#verify-finds-changes-made-outside-terraform",
  accessDenied: "help/troubleshooting.md#accessdenied-errors",
  kms: "help/troubleshooting.md#kms-permissions",
  versioning: "help/troubleshooting.md#versioning-must-be-enabled-error",
} as const;

export interface VerifyOutcome {
  readonly code: number;
  readonly report?: VerifyReport;
  readonly stderr: string;
}

/**
 * `npm run verify -- --json ...` as a user runs it, on the stage's synthesized directory (where
 * the e2e's provider override sits beside each stack) and its provider cache.
 */
export async function verifyRun(stage: Stage, args: readonly string[], step: string): Promise<VerifyOutcome> {
  const result = await run(
    "node",
    [
      join(PROJECT_ROOT, "dist", "verify.js"),
      "--json",
      "--outdir",
      join(stage.dir, "cdktf.out"),
      "--concurrency",
      "2",
      "--poll",
      "1s",
      "--timeout",
      "60s",
      ...args,
    ],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...stage.world.env,
        REPLICATION_CONFIG: stage.configFile,
        TF_PLUGIN_CACHE_DIR: join(stage.dir, "plugin-cache"),
      },
    },
  );
  writeFileSync(join(stage.dir, `verify-${step}.json`), result.stdout);
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as VerifyReport, stderr: result.stderr };
  } catch {
    return { code: result.code, stderr: result.stderr };
  }
}

/** Every failed finding of a report, as `<stack> <column>/<check>: <detail> -> <help>`. */
export function failuresIn(report: VerifyReport | undefined): string[] {
  return (report?.stacks ?? []).flatMap((row) => [
    ...(row.error ? [`${row.stack}: not checked: ${row.error}`] : []),
    ...Object.entries(row.checks).flatMap(([column, cell]) =>
      cell.findings
        .filter((f) => !f.passed)
        .map((f) => `${row.stack} ${column}/${f.check}: ${f.detail ?? ""} -> ${f.help ?? "no link"}`),
    ),
  ]);
}

/** A healthy verdict: exit 0 and no failed finding; else the problems. */
export function healthyProblems(what: string, outcome: VerifyOutcome): string[] {
  if (!outcome.report) return [`${what}: no JSON report (exit ${outcome.code}): ${outcome.stderr.trim().slice(-300)}`];
  const failures = failuresIn(outcome.report);
  return outcome.code === 0 && failures.length === 0
    ? []
    : [`${what}: exit ${outcome.code}, expected a healthy 0: ${failures.join("; ")}`];
}

/**
 * An unhealthy verdict for `stack`: exit 1, the stack unhealthy, the canary FAILED with its
 * section, and each of `links` on some failed finding; else the problems.
 */
export function unhealthyProblems(
  what: string,
  outcome: VerifyOutcome,
  stack: string,
  links: readonly string[],
): string[] {
  if (!outcome.report) return [`${what}: no JSON report (exit ${outcome.code}): ${outcome.stderr.trim().slice(-300)}`];
  const row = outcome.report.stacks.find((r) => r.stack === stack);
  if (!row) return [`${what}: no row for ${stack}`];
  const problems: string[] = [];
  if (outcome.code !== 1 || row.healthy)
    problems.push(`${what}: exit ${outcome.code}, ${stack} ${row.healthy ? "healthy" : "unhealthy"}`);
  const canary = row.checks.canary.findings.filter((f) => !f.passed);
  if (row.checks.canary.status !== "fail" || !canary.every((f) => f.help === LINKS.canaryFailed)) {
    problems.push(
      `${what}: the canary is ${row.checks.canary.status}: ${canary.map((f) => `${f.detail} -> ${f.help}`).join("; ")}`,
    );
  }
  const linked = new Set(
    Object.values(row.checks).flatMap((cell) => cell.findings.filter((f) => !f.passed).map((f) => f.help)),
  );
  for (const link of links) {
    if (!linked.has(link))
      problems.push(`${what}: no failure points at ${link}: ${failuresIn(outcome.report).join("; ")}`);
  }
  return problems;
}

export interface Break {
  readonly name: string;
  readonly stack: string;
  /** The sections verify must point at, besides the canary's. */
  readonly links: readonly string[];
  readonly apply: () => Promise<void>;
  readonly fix: () => Promise<void>;
}

function iamOf(stage: Stage, account: string): IAMClient {
  const key = stage.world.keys.get(account);
  if (!key) throw new Error(`no emulator account ${account}`);
  return new IAMClient({ region: "us-east-1", endpoint: stage.world.env.AWS_ENDPOINT_URL as string, credentials: key });
}

/** The role's inline policy removed outside Terraform, and put back as it was. */
function rolePolicyRemoved(stage: Stage, policyName: string, links: readonly string[], name: string): Break {
  const replication = stage.model.replications[0];
  const iam = iamOf(stage, replication.source.account.accountId);
  let document = "";
  return {
    name,
    stack: replication.stackName,
    links,
    apply: async () => {
      const { PolicyDocument } = await iam.send(
        new GetRolePolicyCommand({ RoleName: replication.role.name, PolicyName: policyName }),
      );
      document = decodeURIComponent(PolicyDocument ?? "");
      await iam.send(new DeleteRolePolicyCommand({ RoleName: replication.role.name, PolicyName: policyName }));
    },
    fix: async () => {
      await iam.send(
        new PutRolePolicyCommand({ RoleName: replication.role.name, PolicyName: policyName, PolicyDocument: document }),
      );
    },
  };
}

/** Any config: the role's permissions policy deleted outside Terraform. */
export function changeOutsideTerraform(stage: Stage): Break {
  return rolePolicyRemoved(
    stage,
    "S3ReplicationPermissionsPolicy",
    [LINKS.accessDenied, LINKS.drift],
    "the role's permissions policy deleted",
  );
}

function destinationS3(stage: Stage): { s3: S3Client; bucket: string } {
  const destination = stage.model.replications[0].rules[0].destination;
  return { s3: s3Of(stage, destination.account.accountId, destination.region), bucket: destination.bucket };
}

/** examples/kms.json: the three breaks of the issue, on its first rule's destination and role. */
export function kmsBreaks(stage: Stage): Break[] {
  const stack = stage.model.replications[0].stackName;
  const { s3, bucket } = destinationS3(stage);
  let policy = "";
  return [
    {
      name: "the destination bucket policy's grant removed",
      stack,
      links: [LINKS.accessDenied, LINKS.drift],
      apply: async () => {
        policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? "";
        const document = JSON.parse(policy) as { Statement: Array<{ Sid?: string }> };
        const kept = document.Statement.filter((s) => s.Sid !== "AllowReplicationFromSourceRole");
        if (kept.length === document.Statement.length)
          throw new Error(`${bucket}: no AllowReplicationFromSourceRole statement`);
        await s3.send(
          new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ ...document, Statement: kept }) }),
        );
      },
      fix: async () => {
        await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
      },
    },
    rolePolicyRemoved(stage, "S3ReplicationKmsPolicy", [LINKS.kms, LINKS.drift], "the role's KMS permission removed"),
    {
      name: "the destination's versioning suspended",
      stack,
      links: [LINKS.versioning, LINKS.drift],
      apply: async () => {
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }),
        );
      },
      fix: async () => {
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
        );
      },
    },
  ];
}

/** `doctor --json <stack> --canary` as a user runs it, with a short poll and timeout; `before`: options before the command. */
export function doctorCanaryRun(stage: Stage, stack: string, before: readonly string[] = []) {
  return run(
    "node",
    [
      join(PROJECT_ROOT, "dist", "ops.js"),
      "--config",
      stage.configFile,
      ...before,
      "--json",
      "doctor",
      stack,
      "--canary",
      "--poll",
      "1s",
      "--timeout",
      "60s",
    ],
    { cwd: PROJECT_ROOT, env: stage.world.env },
  );
}

/** `doctor --canary` of one stack after a fix: green, or the problems. */
async function doctorGreen(stage: Stage, stack: string, what: string): Promise<string[]> {
  const result = await doctorCanaryRun(stage, stack);
  const { problems, checks } = doctorVerdict(stack, result);
  const canaries = checks.filter((c) => c.check === "canary");
  return [...problems.map((p) => `${what}: ${p}`), ...(canaries.length === 0 ? [`${what}: doctor ran no canary`] : [])];
}

/**
 * The verify part of a config's lifecycle: healthy after the apply; then each break red (and, for
 * the kms example, doctor --canary green after each fix and verify green after the last). Returns
 * the row's words and the problems.
 */
export async function verifyLifecycle(stage: Stage, name: string): Promise<{ summary: string; problems: string[] }> {
  const problems = healthyProblems("verify after apply", await verifyRun(stage, [], "healthy"));
  const breaks = name === "kms" ? kmsBreaks(stage) : [changeOutsideTerraform(stage)];
  const checkFix = name === "kms";
  let red = 0;
  let green = 0;
  for (const [n, change] of breaks.entries()) {
    await change.apply();
    try {
      const outcome = await verifyRun(stage, ["--canary", change.stack], `broken-${n + 1}`);
      const broken = unhealthyProblems(change.name, outcome, change.stack, change.links);
      problems.push(...broken);
      if (broken.length === 0) red++;
    } finally {
      await change.fix();
    }
    if (checkFix) {
      const fixed = await doctorGreen(stage, change.stack, `${change.name}, fixed`);
      problems.push(...fixed);
      if (fixed.length === 0) green++;
    }
  }
  if (checkFix)
    problems.push(...healthyProblems("verify after the fixes", await verifyRun(stage, ["--canary"], "fixed")));
  const summary = `${problems.length === 0 ? "healthy" : "PROBLEMS"}; ${red}/${breaks.length} red${checkFix ? `, ${green} canaries green again, verify green` : ""}`;
  return { summary, problems };
}
