/**
 * The live-operations command line: `doctor <stack>`, `backfill <stack>`, `status <job-id>`.
 * It reads the same config file as synth and uses the same credentials (profile or assumed role).
 * Exit codes: 0 all good, 1 a check failed, the job did not complete or an AWS call failed,
 * 2 bad arguments, config or endpoint setting. An AWS failure is one plain line and the runbook
 * section for it, never a stack trace.
 */
import { CreateJobCommand, DescribeJobCommand, type ReplicationStatus } from "@aws-sdk/client-s3-control";
import { Command, InvalidArgumentError, Option } from "commander";
import { createColors } from "picocolors";
import { checkReport, formatReport, type Marks, PLAIN, reportJson } from "../check-report";
import { loadCheckedConfig } from "../checked-model";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv } from "../config/loader";
import type { Replication } from "../config/model";
import { awsClients, type ClientsFor, type OpsOptions } from "../ops/aws-clients";
import { classifyAwsFailure } from "../ops/aws-failure";
import {
  type BackfillOptions,
  createJobRequest,
  DEFAULT_BACKFILL,
  REPLICATION_STATUSES,
  reportLocation,
} from "../ops/backfill/create-job-request";
import { type JobProgress, TERMINAL_STATUSES, watchJob } from "../ops/backfill/watch-job";
import { runDoctor } from "../ops/doctor/doctor";
import { EndpointError } from "../ops/endpoints";
import { VERSION_TEXT } from "./conventions";
import { displayMode, type ProgressStream, progress } from "./progress-display";

export interface OpsIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal: colour only then. */
  readonly isTTY: boolean;
  /** Where progress goes (stderr): redrawn on a usable terminal, plain lines elsewhere. */
  readonly progressStream?: ProgressStream;
  /** Sets the process exit code. */
  readonly exit: (code: number) => void;
  /** AWS clients for the given options; tests pass mocked ones. */
  readonly clients?: (options: OpsOptions) => ClientsFor | Promise<ClientsFor>;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

class UsageError extends Error {}

interface GlobalOptions {
  config?: string;
  endpointUrl?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
}

function durationSeconds(value: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('use seconds or a unit, like "900", "15m" or "1h"');
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
}

function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new InvalidArgumentError("use an ISO date like 2026-01-31");
  return parsed;
}

function statuses(value: string): ReplicationStatus[] {
  const list = value.split(",").map((s) => s.trim().toUpperCase());
  const wrong = list.filter((s) => !(REPLICATION_STATUSES as readonly string[]).includes(s));
  if (wrong.length > 0)
    throw new InvalidArgumentError(`unknown status ${wrong.join(", ")}: use ${REPLICATION_STATUSES.join(", ")}`);
  return list as ReplicationStatus[];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("use a whole number, 0 or more");
  return n;
}

export function buildOpsProgram(io: OpsIo): Command {
  // Named as people run it: `npm run doctor -- <stack> [options]` (package.json's scripts).
  const program = new Command("npm run");
  const globals = () => program.opts<GlobalOptions>();
  const marks = (): Marks => {
    const { json, color } = globals();
    if (json || color === false || !io.isTTY || io.env.NO_COLOR) return PLAIN;
    const colors = createColors(true);
    return { pass: colors.green, fail: colors.red };
  };
  let clients: ClientsFor | undefined;
  /** The clients, made once; every bucket's account is made up front so a bad endpoint setting stops here. */
  const clientsFor = async (replication: Replication): Promise<ClientsFor> => {
    clients ??= await (io.clients ?? awsClients)({ endpointUrl: globals().endpointUrl, env: io.env, warn: io.stderr });
    for (const bucket of [replication.source, ...replication.destinations]) clients(bucket.account, bucket.region);
    return clients;
  };
  const progressStream: ProgressStream = io.progressStream ?? { write: (t) => io.stderr(t.replace(/\n$/, "")) };
  const progressOf = (options: { label?: string; bar: boolean }) =>
    progress(displayMode(progressStream, io.env, Boolean(globals().quiet)), progressStream, options);
  /**
   * The replications a name stands for: a replication's id (`replication-<source bucket>`, also its
   * stack's name in the per-bucket layout), or a stack's name, for every replication model.stacks
   * puts in it. Without a name, the config's one replication or one stack.
   */
  const replicationsOf = (name: string | undefined): { file: string; replications: readonly Replication[] } => {
    const file = globals().config ?? configFileFromEnv(io.env);
    const model = loadCheckedConfig(file, io.env);
    const ids = model.replications.map((r) => r.id);
    const stacks = model.stacks.filter((s) => s.replications.length > 0).map((s) => s.name);
    const choices = [...new Set([...stacks, ...ids])].join(", ");
    if (!name) {
      if (model.replications.length === 1 || stacks.length === 1) return { file, replications: model.replications };
      throw new UsageError(`${file} has ${stacks.length} stacks: name one with --stack (${choices})`);
    }
    const found = model.replications.find((r) => r.id === name);
    if (found) return { file, replications: [found] };
    const unit = model.stacks.find((s) => s.name === name);
    if (unit && unit.replications.length > 0) return { file, replications: unit.replications };
    if (unit) {
      throw new UsageError(
        `${name} holds only the destination side of ${unit.sharedDestinations.map((d) => d.destination.bucket).join(", ")}: name a stack or replication that writes into it (${choices})`,
      );
    }
    throw new UsageError(`no stack "${name}" in ${file}: use one of ${choices}`);
  };
  /** The one replication a command about one source bucket (a Batch Replication job) is about. */
  const replicationOf = (command: string, name: string | undefined): Replication => {
    const { replications } = replicationsOf(name);
    if (replications.length === 1) return replications[0];
    throw new UsageError(
      `${name ?? "the config's stack"} holds ${replications.length} replications, and npm run ${command} works on one source bucket at a time (one S3 Batch Replication job per bucket): name one of them (${replications.map((r) => r.id).join(", ")})`,
    );
  };

  program
    .usage("<doctor|backfill|status> -- <arguments> [options]")
    // Each command's --help lists the options every command takes (--config, --endpoint-url, --json, ...).
    .configureHelp({ showGlobalOptions: true })
    .description("Check a live S3 replication, and replicate existing objects with S3 Batch Replication.")
    .option("--config <file>", "the config file (default: $REPLICATION_CONFIG or replication.config.json)")
    .option(
      "--endpoint-url <url>",
      "send every AWS call here (https://, or http:// on 127.0.0.1, ::1 or localhost); without it, AWS_ENDPOINT_URL[_<SERVICE>] and the profiles' endpoint_url apply",
    )
    .option("--json", "print JSON instead of tables")
    .option("--no-color", "no colour, even on a terminal (NO_COLOR=1 too)")
    .option("--quiet", "no progress lines, only the result (for pipelines)")
    .version(VERSION_TEXT, "--version", "print the version")
    .showHelpAfterError()
    .configureOutput({ writeOut: (t) => io.stdout(t.trimEnd()), writeErr: (t) => io.stderr(t.trimEnd()) })
    .exitOverride();

  program
    .command("doctor")
    .usage("-- <stack> [options]")
    .description("check the live accounts against what the stack declares; --canary proves an object replicates")
    .argument(
      "<stack>",
      "a stack, as npm run stacks lists it (every replication it holds), or one replication: replication-<source-bucket>",
    )
    .option("--canary", "write a small object under each rule's prefix and follow it to the destination")
    .addOption(
      new Option("--timeout <duration>", "how long the canary waits for replication")
        .default(900, "15m")
        .argParser(durationSeconds),
    )
    .addOption(new Option("--poll <duration>", "how often the canary asks").default(5, "5s").argParser(durationSeconds))
    .action(async (stack: string, options: { canary?: boolean; timeout: number; poll: number }) => {
      // A stack of several replications is checked replication by replication, in one report.
      const { replications } = replicationsOf(stack);
      const results = [];
      for (const replication of replications) {
        const shown = progressOf({ label: "canary", bar: false });
        results.push(
          ...(await runDoctor(
            { replication, clients: await clientsFor(replication) },
            options.canary
              ? {
                  timeoutSeconds: options.timeout,
                  pollSeconds: options.poll,
                  signal: io.signal,
                  sleep: io.sleep,
                  onProgress: (text) => shown.update(text),
                }
              : undefined,
          ).finally(() => shown.stop())),
        );
      }
      const report = checkReport([...new Set(replications.map((r) => r.stackName))], results);
      io.stdout(globals().json ? reportJson(report) : formatReport(report, "doctor", marks()));
      io.exit(report.failed > 0 ? 1 : 0);
    });

  const follow = async (replication: Replication, jobId: string, interval: number): Promise<void> => {
    const { s3control } = (await clientsFor(replication))(replication.source.account, replication.source.region);
    const shown = progressOf({ bar: true });
    const onProgress = (p: JobProgress) => {
      const eta = p.etaSeconds === undefined ? "" : `, about ${Math.ceil(p.etaSeconds / 60)} min left`;
      shown.update(
        `${p.status}: ${p.succeeded} succeeded, ${p.failed} failed of ${p.total}${p.rate > 0 ? ` (${p.rate.toFixed(1)} tasks/s${eta})` : ""}`,
        {
          value: p.succeeded + p.failed,
          total: p.total,
        },
      );
    };
    const job = await watchJob(s3control, replication.source.account.accountId, jobId, {
      intervalSeconds: interval,
      onProgress,
      sleep: io.sleep,
      signal: io.signal,
    }).finally(() => shown.stop());
    const summary = {
      jobId,
      status: job.Status,
      total: job.ProgressSummary?.TotalNumberOfTasks ?? 0,
      succeeded: job.ProgressSummary?.NumberOfTasksSucceeded ?? 0,
      failed: job.ProgressSummary?.NumberOfTasksFailed ?? 0,
      report: reportLocation(replication, jobId),
      failureReasons: job.FailureReasons?.map((r) => `${r.FailureCode}: ${r.FailureReason}`) ?? [],
    };
    io.stdout(
      globals().json
        ? JSON.stringify(summary, null, 2)
        : [
            `job ${jobId}: ${summary.status}, ${summary.succeeded} succeeded, ${summary.failed} failed of ${summary.total}`,
            `report: ${summary.report}`,
            ...summary.failureReasons.map((r) => `failure: ${r}`),
          ].join("\n"),
    );
    io.exit(
      job.Status === "Complete" && summary.failed === 0 ? 0 : TERMINAL_STATUSES.includes(job.Status ?? "") ? 1 : 0,
    );
  };

  program
    .command("backfill")
    .usage("-- <stack> [options]")
    .description("replicate objects that existed before the rule, with an S3 Batch Replication job")
    .argument(
      "<stack>",
      "the replication, replication-<source-bucket> (its stack in the per-bucket layout), or a stack that holds one",
    )
    .option("--dry-run", "print the CreateJob request and send nothing")
    .option("--watch", "follow the job with a progress bar until it ends")
    .addOption(
      new Option("--statuses <list>", "replication statuses to include: NONE, FAILED, COMPLETED, REPLICA")
        .default(DEFAULT_BACKFILL.statuses, "NONE,FAILED")
        .argParser(statuses),
    )
    .option("--created-after <date>", "only objects created after this date", date)
    .option("--created-before <date>", "only objects created before this date", date)
    .addOption(
      new Option("--priority <n>", "job priority (higher runs first)")
        .default(DEFAULT_BACKFILL.priority)
        .argParser(positiveInteger),
    )
    .option("--token <token>", "client request token (default: derived from the request, so a rerun is no second job)")
    .addOption(
      new Option("--interval <duration>", "how often --watch asks").default(10, "10s").argParser(durationSeconds),
    )
    .action(
      async (stack: string, options: BackfillOptions & { dryRun?: boolean; watch?: boolean; interval: number }) => {
        const replication = replicationOf("backfill", stack);
        const request = createJobRequest(replication, options);
        if (options.dryRun) {
          io.stdout(
            JSON.stringify({ operation: "s3control:CreateJob", region: replication.source.region, request }, null, 2),
          );
          io.exit(0);
          return;
        }
        const { s3control } = (await clientsFor(replication))(replication.source.account, replication.source.region);
        const { JobId } = await s3control.send(new CreateJobCommand(request));
        if (!JobId) throw new Error("CreateJob returned no job id");
        if (!options.watch) {
          io.stdout(
            globals().json
              ? JSON.stringify({ jobId: JobId, report: reportLocation(replication, JobId) }, null, 2)
              : `job ${JobId} created (same token, same job: running this again does not start another)\n` +
                  `follow it: npm run status -- ${JobId} --stack ${replication.id}\n` +
                  `report: ${reportLocation(replication, JobId)}`,
          );
          io.exit(0);
          return;
        }
        await follow(replication, JobId, options.interval);
      },
    );

  program
    .command("status")
    .usage("-- <job-id> [options]")
    .description("follow a Batch Replication job until it ends (resumes --watch)")
    .argument("<job-id>", "the job id backfill printed")
    .option(
      "--stack <stack>",
      "the replication the job belongs to, replication-<source-bucket> (needed when the config has several)",
    )
    .option("--once", "print the current progress and return")
    .addOption(new Option("--interval <duration>", "how often to ask").default(10, "10s").argParser(durationSeconds))
    .action(async (jobId: string, options: { stack?: string; once?: boolean; interval: number }) => {
      const replication = replicationOf("status", options.stack);
      if (options.once) {
        const { s3control } = (await clientsFor(replication))(replication.source.account, replication.source.region);
        const { Job } = await s3control.send(
          new DescribeJobCommand({ AccountId: replication.source.account.accountId, JobId: jobId }),
        );
        io.stdout(JSON.stringify(Job?.ProgressSummary ?? {}, null, 2));
        io.exit(0);
        return;
      }
      await follow(replication, jobId, options.interval);
    });

  return program;
}

/** Parses and runs; turns config and usage problems into exit code 2 with a plain message. */
export async function runOps(argv: string[], io: OpsIo): Promise<void> {
  const program = buildOpsProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string };
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return io.exit(0);
    if (e.code?.startsWith("commander.")) return io.exit(2);
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.stderr(error.message);
      return io.exit(2);
    }
    const failure = classifyAwsFailure(error);
    io.stderr(`error: ${failure.message}${failure.help ? `\nsee ${failure.help}` : ""}`);
    return io.exit(error instanceof EndpointError ? 2 : 1);
  }
}
