/**
 * The live tools reach the emulator however the endpoint is set, the standard ways an AWS CLI
 * user sets it: `--endpoint-url`, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> for each service,
 * the profiles' `endpoint_url`, and the profiles' `services` section. With each, doctor gives the
 * same report, status reaches S3 Control (no account-id host prefix on 127.0.0.1) and a backfill
 * dry run prints its request.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./command";
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

/** What a doctor report says, check by check, without what differs between two runs. */
function checks(stdout: string): string {
  try {
    const report = JSON.parse(stdout) as { results: Array<{ check: string; resource?: string; passed: boolean }> };
    return report.results.map((r) => `${r.check} ${r.resource ?? ""} ${r.passed ? "pass" : "FAIL"}`).join("; ");
  } catch {
    return `no report: ${stdout.slice(0, 200)}`;
  }
}

function passes(stdout: string): string {
  const { passed, failed } = JSON.parse(stdout) as { passed: number; failed: number };
  return `${passed} pass, ${failed} fail, as with every other way`;
}

const UNREACHED = /cannot reach|Invalid URL|ENOTFOUND|getaddrinfo|amazonaws\.com/;

export async function endpointSettings(stage: Stage): Promise<{ passed: boolean; result: string }> {
  const [stack] = stage.order;
  await applyStack(stage, stack);
  const replication = stage.model.replications[0].stackName;
  const results: string[] = [];
  let baseline: string | undefined;
  let passed = true;
  for (const way of ways(stage)) {
    const doctor = await ops(stage, way, ["--json", "doctor", replication]);
    const report = checks(doctor.stdout);
    baseline ??= report;
    const status = await ops(stage, way, ["status", "0123456789abcdef", "--once"]);
    const dryRun = await ops(stage, way, ["backfill", replication, "--dry-run"]);
    const problems = [
      ...(report === baseline && !report.startsWith("no report") ? [] : [`doctor: ${report}`]),
      ...(UNREACHED.test(doctor.stderr + doctor.stdout) ? [`doctor: ${doctor.stderr.trim()}`] : []),
      ...(UNREACHED.test(status.stderr + status.stdout) ? [`status: ${status.stderr.trim()}`] : []),
      ...(/\n\s+at /.test(status.stderr + doctor.stderr) ? ["a stack trace"] : []),
      ...(dryRun.code === 0 && dryRun.stdout.includes('"s3control:CreateJob"') ? [] : [`dry run exit ${dryRun.code}`]),
    ];
    if (problems.length > 0) passed = false;
    const said = status.stderr.split("\n").find((l) => l.startsWith("error:")) ?? "ok";
    results.push(
      `${way.name}: ${problems.length === 0 ? `doctor ${passes(doctor.stdout)}, status reached S3 Control (exit ${status.code}, ${said}), dry run ok` : problems.join(", ")}`,
    );
  }
  return { passed, result: results.join("; ") };
}
