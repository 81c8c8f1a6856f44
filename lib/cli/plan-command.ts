/**
 * `npm run plan [-- <stack>...]`: synthesizes, checks what each stack would take from existing
 * buckets, plans each stack with Terraform (concurrently where independent), saves the plans and
 * prints a reviewer's summary (also appended to $GITHUB_STEP_SUMMARY in GitHub Actions), and hands
 * the plan hashes to the apply job ($GITHUB_OUTPUT plan-hashes=).
 */
import { Command, Option } from "commander";
import { plan } from "../plan/plan";
import {
  concurrencyOption,
  conventional,
  githubOutput,
  type PlanIo,
  planEnvironment,
  publish,
  runCommand,
  summaryFileOption,
} from "./plan-io";

export const PLAN_EXIT_CODES = `Exit codes: 0 every stack planned; 1 a stack failed or was refused by the existing-bucket check; 2 bad input (config, arguments).`;

export const PLAN_ENVIRONMENT = [
  "Environment:",
  "  REPLICATION_CONFIG           the config file (default: replication.config.json)",
  "  CDKTF_OUTDIR                 where the stacks and plans go (default: cdktf.out)",
  "  TF_PLUGIN_CACHE_DIR          the provider cache every stack shares (default: .terraform/plugin-cache)",
  "  REPLICATION_REDACT_SUMMARY   1: as --redact-summary",
  "  AWS_PROFILE, AWS_ENDPOINT_URL, ...   the AWS SDK's usual settings, for the existing-bucket check",
].join("\n");

interface PlanOptions {
  readonly concurrency: number;
  readonly replaceExisting?: boolean;
  readonly redactSummary?: boolean;
  readonly summaryFile?: string;
}

/** Whether the summary is redacted: the flag, or REPLICATION_REDACT_SUMMARY=1 (public repositories). */
export function redacted(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return flag === true || env.REPLICATION_REDACT_SUMMARY === "1";
}

export const REDACT_HELP =
  "show live bucket-policy statements only as a count and their Sids, not their text, in the summary on stdout, in $GITHUB_STEP_SUMMARY and in the saved record apply prints (for public repositories, whose job summaries anyone can read); also REPLICATION_REDACT_SUMMARY=1";

export function planCommand(io: PlanIo, exit: (code: number) => void): Command {
  const command = new Command("npm run plan --")
    .description(
      [
        "Plan each stack (or those named), in deployment order, and print a reviewer's summary.",
        "For each stack: read what its existing buckets have (bucket policy, replication rules, versioning, Object Ownership, default encryption) and refuse the stack if its apply would remove any of it, unless the config says so; then terraform init, plan -out=replication.tfplan and show -json; refuse the plan if it would rewrite a live replication rule that has the same id, or create a bucket that already exists; save beside the plan replication.tfplan.json (the SHA-256 of cdk.tf.json, of the plan and of the lock file, and the summary).",
        "The summary shows every changed attribute before and after, the replication configuration rule by rule, every changed policy as a diff, warnings for what hurts data or sends it elsewhere, and the topology diagram. In GitHub Actions it is also appended to $GITHUB_STEP_SUMMARY, and the plan hashes go to $GITHUB_OUTPUT as plan-hashes=<JSON>, for the apply job's REPLICATION_REVIEWED_PLAN_HASHES.",
      ].join("\n\n"),
    )
    .argument("[stack...]", "stacks to plan, as `npm run stacks` names them (default: every replication stack)")
    .addOption(concurrencyOption())
    .addOption(
      new Option(
        "--replace-existing",
        "for this run, plan even where the apply removes bucket-policy statements or replication rules an existing bucket has, or rewrites a rule of the same id (the summary still lists each); the config's replaceExistingStatements / replaceExistingRules say it for good",
      ),
    )
    .addOption(new Option("--redact-summary", REDACT_HELP))
    .addOption(summaryFileOption())
    .action(async (stacks: string[], options: PlanOptions) => {
      const result = await plan(
        {
          stacks,
          replaceExisting: options.replaceExisting ?? false,
          redact: redacted(options.redactSummary, io.env),
        },
        planEnvironment(io, options.concurrency),
      );
      if (result.markdown) publish(result.markdown, options.summaryFile, io);
      if (Object.keys(result.hashes).length > 0) githubOutput(io, "plan-hashes", JSON.stringify(result.hashes));
      for (const message of result.messages) io.stderr(message);
      exit(result.code);
    });
  return conventional(command, io, `${PLAN_ENVIRONMENT}\n\n${PLAN_EXIT_CODES}`);
}

export function runPlanCommand(argv: readonly string[], io: PlanIo): Promise<number> {
  return runCommand((exit) => planCommand(io, exit), argv, io);
}
