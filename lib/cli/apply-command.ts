/**
 * `npm run apply [-- <stack>...]`: applies the plans `npm run plan` saved, and nothing else, after
 * checking them against a fresh synth, the plan job's hashes (in pipelines), prerequisite stacks
 * and the existing buckets, and after a person's yes (or --auto-approve).
 */
import { Command, Option } from "commander";
import { apply, parseExpectedHashes } from "../plan/apply";
import type { PlanHashes } from "../plan/saved-plan";
import {
  concurrencyOption,
  conventional,
  type PlanIo,
  planEnvironment,
  publish,
  runCommand,
  summaryFileOption,
} from "./plan-io";

export const APPLY_EXIT_CODES =
  "Exit codes: 0 applied; 1 a stack failed (Terraform's error is printed); 2 bad input, or refused before anything was written.";

const APPLY_ENVIRONMENT = [
  "Environment:",
  "  REPLICATION_CONFIG       the config file (default: replication.config.json)",
  "  CDKTF_OUTDIR             where the saved plans are (default: cdktf.out)",
  "  REPLICATION_REVIEWED_PLAN_HASHES  as --plan-hashes",
].join("\n");

interface ApplyOptions {
  readonly concurrency: number;
  readonly autoApprove?: boolean;
  readonly planHashes?: string;
  readonly summaryFile?: string;
}

/** Asks the person, or says why it cannot. */
function approval(io: PlanIo, autoApprove: boolean) {
  return async (summary: string, stacks: number): Promise<string | undefined> => {
    io.stdout(summary);
    if (autoApprove) return undefined;
    if (!io.isTTY || !io.ask) {
      return "apply: nothing applied: there is no terminal to ask for approval; pass --auto-approve to apply the reviewed plans without asking";
    }
    const answer = await io.ask(`Apply the saved plans of ${stacks} stack(s) shown above? Only "yes" applies: `);
    return answer.trim() === "yes" ? undefined : "apply: nothing applied: the plans were not approved";
  };
}

function expectedHashes(text: string | undefined): Record<string, PlanHashes> | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return parseExpectedHashes(text);
  } catch (error) {
    throw new ExpectedHashesError(
      `apply: nothing applied: the plan job's hashes (--plan-hashes or REPLICATION_REVIEWED_PLAN_HASHES) are not what npm run plan writes (${(error as Error).message})`,
    );
  }
}

class ExpectedHashesError extends Error {}

export function applyCommand(io: PlanIo, exit: (code: number) => void): Command {
  const command = new Command("npm run apply --")
    .description(
      [
        "Apply the plans `npm run plan` saved, and nothing else. First, with nothing written yet, every check below must pass:",
        "",
        "- a fresh synth (into a temporary directory) is byte for byte the cdk.tf.json each plan was made from; the plan file is the one summarized; the configuration inside the plan file (what Terraform applies) is that synth, plus only override files still beside it unchanged; and the plan's lock file is the .terraform.lock.hcl beside it;",
        "- the changes the plan file makes, read again with terraform show -json, are those the reviewed summary was made from (a -destroy plan of the same configuration is refused);",
        "- with the plan job's hashes (--plan-hashes, or REPLICATION_REVIEWED_PLAN_HASHES from its plan-hashes output), each plan, lock file and record is the one that job made;",
        "- every stack a stack relies on is applied (the buckets it manages exist with versioning Enabled);",
        "- the existing buckets hold nothing new that the apply would remove or rewrite, and no bucket to be created has appeared.",
        "",
        "Then it prints the saved summaries and asks; only `yes` applies. Stacks apply concurrently where independent, in dependency order otherwise; a stack after a failed one is skipped. An applied plan is deleted, so a second apply applies nothing.",
      ].join("\n"),
    )
    .argument("[stack...]", "stacks to apply (default: every stack `npm run plan` plans)")
    .addOption(concurrencyOption())
    .addOption(
      new Option(
        "--auto-approve",
        "apply without asking (required without a terminal, as terraform apply's -auto-approve)",
      ),
    )
    .addOption(
      new Option(
        "--plan-hashes <json>",
        "the plan job's plan-hashes output: a JSON object of stack -> {plan, lock, record} SHA-256, or an object of such JSON texts (one per plan job); every stack applied must be in it (default: $REPLICATION_REVIEWED_PLAN_HASHES)",
      ),
    )
    .addOption(summaryFileOption())
    .action(async (stacks: string[], options: ApplyOptions) => {
      let expected: Record<string, PlanHashes> | undefined;
      try {
        expected = expectedHashes(options.planHashes ?? io.env.REPLICATION_REVIEWED_PLAN_HASHES);
      } catch (error) {
        if (!(error instanceof ExpectedHashesError)) throw error;
        io.stderr(error.message);
        return exit(2);
      }
      const result = await apply(
        { stacks, expected },
        { ...planEnvironment(io, options.concurrency), approve: approval(io, options.autoApprove ?? false) },
      );
      if (result.markdown) publish(result.markdown, options.summaryFile, io);
      for (const message of result.messages) io.stderr(message);
      exit(result.code);
    });
  return conventional(command, io, `${APPLY_ENVIRONMENT}\n\n${APPLY_EXIT_CODES}`);
}

export function runApplyCommand(argv: readonly string[], io: PlanIo): Promise<number> {
  return runCommand((exit) => applyCommand(io, exit), argv, io);
}
