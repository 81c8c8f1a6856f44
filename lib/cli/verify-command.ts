/**
 * `npm run verify [-- <stack>...]`: checks every stack (or those named) against the live
 * accounts, concurrently: drift (a plan that finds changes made outside Terraform), doctor's
 * checks, the canary with --canary, replication metrics over --since, and the last backfill job.
 * Prints one table (a row per stack, a column per check, each failure with its troubleshooting
 * section) or JSON, appends it to the job summary in GitHub Actions, and exits 0 healthy,
 * 1 unhealthy, 2 bad input.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { createColors } from "picocolors";
import { type Marks, PLAIN } from "../check-report";
import { verify } from "../ops/verify/verify";
import { verifyJson, verifyMarkdown, verifyTable } from "../ops/verify/verify-report";
import { durationSeconds, withCanaryOptions } from "./duration";
import {
  concurrencyOption,
  conventional,
  type PlanIo,
  planEnvironment,
  runCommand,
  summaryFileOption,
} from "./plan-io";

export const VERIFY_EXIT_CODES =
  "Exit codes: 0 every stack healthy; 1 a stack unhealthy (a check failed or could not run); 2 bad input (config, arguments, unknown stack).";

export const DEFAULT_VERIFY_OUTDIR = "cdktf.out.verify";

const VERIFY_ENVIRONMENT = [
  "Environment:",
  "  REPLICATION_CONFIG    the config file (default: replication.config.json)",
  "  TF_PLUGIN_CACHE_DIR   the provider cache every stack shares (default: .terraform/plugin-cache)",
  "  AWS_PROFILE, AWS_ENDPOINT_URL, ...   the AWS SDK's and Terraform's usual settings",
].join("\n");

interface VerifyOptions {
  readonly canary?: boolean;
  readonly timeout: number;
  readonly poll: number;
  readonly since: number;
  readonly json?: boolean;
  readonly reportFile?: string;
  readonly summaryFile?: string;
  readonly concurrency: number;
  readonly outdir: string;
}

export interface VerifyIo extends PlanIo {
  /** Aborted on Ctrl-C: the canary stops waiting and cleans up. */
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
}

function marksFor(io: VerifyIo): Marks {
  if (!io.isTTY || io.env.NO_COLOR) return PLAIN;
  const colors = createColors(true);
  return { pass: colors.green, fail: colors.red };
}

export function verifyCommand(io: VerifyIo, exit: (code: number) => void): Command {
  const command = withCanaryOptions(
    new Command("npm run verify --")
      .description(
        [
          "Check every stack (or those named) against the live accounts, a few at a time: drift (terraform plan -detailed-exitcode -lock=false: changes made outside Terraform; the existing-policy guard's reads are no change), doctor's checks, the canary with --canary, the replication metrics OperationsFailedReplication and ReplicationLatency over --since where a rule has metrics, and the state of the last backfill job.",
          "Prints one table, a row per stack and a column per check, then each failure with its section of help/troubleshooting.md; in GitHub Actions the table also goes to $GITHUB_STEP_SUMMARY. Reads only, except the canary's objects (written under each rule's prefix in s3-replication-canary/ and removed with every version). Never takes the state lock.",
        ].join("\n\n"),
      )
      .argument("[stack...]", "stacks to verify, as `npm run stacks` names them (default: every replication stack)"),
  )
    .addOption(
      new Option("--since <duration>", "the window of the replication metrics")
        .default(86_400, "24h")
        .argParser(durationSeconds),
    )
    .option("--json", "print JSON instead of the table")
    .option("--report-file <file>", "also write the JSON report to this file (for the issue job of verify.yml)")
    .addOption(summaryFileOption())
    .addOption(concurrencyOption())
    .addOption(
      new Option("--outdir <dir>", "where the stacks are synthesized and planned, apart from npm run plan's").default(
        DEFAULT_VERIFY_OUTDIR,
      ),
    )
    .action(async (stacks: string[], options: VerifyOptions) => {
      const environment = planEnvironment(
        { ...io, env: { ...io.env, CDKTF_OUTDIR: options.outdir } },
        options.concurrency,
      );
      const result = await verify(
        {
          stacks,
          sinceSeconds: options.since,
          canary: options.canary
            ? { timeoutSeconds: options.timeout, pollSeconds: options.poll, signal: io.signal, sleep: io.sleep }
            : undefined,
        },
        { ...environment, now: io.now },
      );
      if (!result.report) return exit(result.code);
      io.stdout(options.json ? verifyJson(result.report) : verifyTable(result.report, marksFor(io)));
      if (options.reportFile) writeFileSync(options.reportFile, `${verifyJson(result.report)}\n`);
      const summaryFile = options.summaryFile ?? io.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) appendFileSync(summaryFile, `${verifyMarkdown(result.report, io.env)}\n`);
      exit(result.code);
    });
  return conventional(command, io, `${VERIFY_ENVIRONMENT}\n\n${VERIFY_EXIT_CODES}`);
}

export function runVerifyCommand(argv: readonly string[], io: VerifyIo): Promise<number> {
  return runCommand((exit) => verifyCommand(io, exit), argv, io);
}
