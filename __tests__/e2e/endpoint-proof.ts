/**
 * The live tools reach the emulator however the endpoint is set, the standard ways an AWS CLI
 * user sets it: `--endpoint-url`, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> for each service,
 * the profiles' `endpoint_url`, and the profiles' `services` section. With each:
 * - doctor gives the expected report, check by check (EXPECTED_DOCTOR), with the exit code it implies;
 * - status reaches S3 Control, which moto does not implement for Batch Operations jobs: n/a, by a
 *   precise rule (statusNotApplicable), after a direct request shows the emulator's 404 for it;
 * - a backfill dry run prints its request.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CommandResult, run } from "./command";
import { doctorVerdict, isEmulatorGap } from "./doctor-verdict";
import { applyStack, PROJECT_ROOT, type Stage } from "./scenario";

const SERVICES = ["S3", "S3_CONTROL", "STS", "IAM", "KMS"];

interface Way {
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly args: string[];
}

/** The AWS config file with `lines` added to every profile section. */
function configWith(stage: Stage, name: string, lines: (endpoint: string) => string[], extra: string[] = []): string {
  const file = stage.world.env.AWS_CONFIG_FILE as string;
  const endpoint = stage.world.env.AWS_ENDPOINT_URL as string;
  const text = readFileSync(file, "utf8").replace(/^(\[(?:profile .+|default)\])$/gm, (header) =>
    [header, ...lines(endpoint)].join("\n"),
  );
  const copy = join(stage.dir, `aws-config-${name}`);
  writeFileSync(copy, `${text}\n${extra.join("\n")}\n`);
  return copy;
}

function ways(stage: Stage): Way[] {
  const endpoint = stage.world.env.AWS_ENDPOINT_URL as string;
  const { AWS_ENDPOINT_URL: _, ...withoutEndpoint } = stage.world.env;
  return [
    { name: "--endpoint-url", env: withoutEndpoint, args: ["--endpoint-url", endpoint] },
    { name: "AWS_ENDPOINT_URL", env: stage.world.env, args: [] },
    {
      name: "AWS_ENDPOINT_URL_<SERVICE>",
      env: { ...withoutEndpoint, ...Object.fromEntries(SERVICES.map((s) => [`AWS_ENDPOINT_URL_${s}`, endpoint])) },
      args: [],
    },
    {
      name: "profile endpoint_url",
      env: { ...withoutEndpoint, AWS_CONFIG_FILE: configWith(stage, "endpoint-url", (e) => [`endpoint_url = ${e}`]) },
      args: [],
    },
    {
      name: "profile services section",
      env: {
        ...withoutEndpoint,
        AWS_CONFIG_FILE: configWith(stage, "services", () => ["services = emulator"], [
          "[services emulator]",
          ...SERVICES.map((s) => `${s.toLowerCase()} =\n  endpoint_url = ${endpoint}`),
        ]),
      },
      args: [],
    },
  ];
}

const ops = (stage: Stage, way: Way, args: string[]) =>
  run("node", [join(PROJECT_ROOT, "dist", "ops.js"), "--config", stage.configFile, ...way.args, ...args], {
    cwd: PROJECT_ROOT,
    env: way.env,
  });

/**
 * doctor's report on the default config, applied, against the emulator: every check passes but the
 * IAM simulation, which moto answers with HTTP 500 (n/a). Written by hand from what doctor checks
 * (docs/operate.md) for this config.
 */
export const EXPECTED_DOCTOR = [
  "credentials account source (111122223333): pass",
  "credentials account destination (444455556666): pass",
  "versioning arn:aws:s3:::my-app-data-prod: pass",
  "versioning arn:aws:s3:::my-app-data-backup: pass",
  "replication configuration arn:aws:s3:::my-app-data-prod: pass",
  "replication role arn:aws:iam::111122223333:role/S3CrossAccountReplicationRole: pass",
  "IAM simulation arn:aws:s3:::my-app-data-prod: n/a",
  "IAM simulation arn:aws:s3:::my-app-data-prod/s3-replication-doctor.txt: n/a",
  "IAM simulation arn:aws:s3:::my-app-data-backup/s3-replication-doctor.txt: n/a",
  "destination bucket policy arn:aws:s3:::my-app-data-backup: pass",
  "object ownership arn:aws:s3:::my-app-data-backup: pass",
  "default encryption arn:aws:s3:::my-app-data-prod: pass",
  "default encryption arn:aws:s3:::my-app-data-backup: pass",
];

/** A doctor run, check by check as EXPECTED_DOCTOR spells it, and whatever else is wrong with it. */
export function doctorProblems(stack: string, result: CommandResult): string[] {
  const verdict = doctorVerdict(stack, result);
  // Its own problems include an exit code other than the report implies: 1, for the n/a checks.
  const problems = [...verdict.problems];
  const got = verdict.checks.map(
    (c) => `${c.check} ${c.resource ?? ""}: ${c.passed ? "pass" : isEmulatorGap(c) ? "n/a" : "FAIL"}`,
  );
  if (JSON.stringify(got) !== JSON.stringify(EXPECTED_DOCTOR)) {
    problems.push(`doctor report differs: ${got.join("; ")}`);
  }
  return problems;
}

/**
 * The emulator has no S3 Batch Operations (moto 5.2.1 routes no /v20180820/jobs path): it answers
 * DescribeJob with HTTP 404 and an HTML page. `status` is n/a exactly when it exits 1 with the
 * tools' words for that answer: HTTP 404, not an AWS answer. Anything else (no connection, a real
 * AWS host, a stack trace, another status) is a failure.
 */
export function statusNotApplicable(result: CommandResult): boolean {
  return (
    result.code === 1 &&
    /^error: the endpoint answered HTTP 404 with something that is not an AWS answer /m.test(result.stderr)
  );
}

/** What the emulator answers to DescribeJob, asked directly (no SDK, no endpoint resolution). */
async function describeJobStatus(endpoint: string, accountId: string, jobId: string): Promise<number> {
  const response = await fetch(`${endpoint}/v20180820/jobs/${jobId}`, { headers: { "x-amz-account-id": accountId } });
  return response.status;
}

const UNREACHED = /cannot reach|Invalid URL|ENOTFOUND|getaddrinfo|amazonaws\.com/;

const JOB_ID = "0123456789abcdef";

export async function endpointSettings(stage: Stage): Promise<{ passed: boolean; result: string }> {
  const [stack] = stage.order;
  await applyStack(stage, stack);
  const replication = stage.model.replications[0];
  const probe = await describeJobStatus(
    stage.world.env.AWS_ENDPOINT_URL as string,
    replication.source.account.accountId,
    JOB_ID,
  );
  if (probe !== 404) {
    return { passed: false, result: `the emulator answered DescribeJob with HTTP ${probe}: status must now pass` };
  }
  const results: string[] = [];
  let passed = true;
  for (const way of ways(stage)) {
    const doctor = await ops(stage, way, ["--json", "doctor", replication.stackName]);
    const status = await ops(stage, way, ["status", JOB_ID, "--once"]);
    const dryRun = await ops(stage, way, ["backfill", replication.stackName, "--dry-run"]);
    const problems = [
      ...doctorProblems(replication.stackName, doctor),
      ...(UNREACHED.test(doctor.stderr + doctor.stdout) ? [`doctor: ${doctor.stderr.trim()}`] : []),
      ...(statusNotApplicable(status) ? [] : [`status exit ${status.code}: ${status.stderr.trim().slice(0, 300)}`]),
      ...(/\n\s+at /.test(status.stderr + doctor.stderr) ? ["a stack trace"] : []),
      ...(dryRun.code === 0 && dryRun.stdout.includes('"s3control:CreateJob"') ? [] : [`dry run exit ${dryRun.code}`]),
    ];
    if (problems.length > 0) passed = false;
    results.push(
      `${way.name}: ${problems.length === 0 ? "doctor as expected (10 pass, 3 n/a, exit 1), status n/a (the emulator's HTTP 404, exit 1), dry run ok" : problems.join(", ")}`,
    );
  }
  return { passed, result: results.join("; ") };
}
