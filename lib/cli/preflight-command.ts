/**
 * `npm run preflight`: proves offline, on the synthesized JSON, that the policies allow every
 * request S3 makes to replicate. Exit code 0 when every check passes, 1 when any fails, 2 when
 * there is nothing to check or the arguments are wrong.
 */
import { parseArgs } from "node:util";
import { formatReport, reportJson } from "../check-report";
import { preflight } from "../preflight/run-preflight";
import { PreflightInputError } from "../preflight/terraform-json";
import { answerStandardFlags } from "./conventions";

export interface CommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `usage: npm run preflight [-- --json] [-- --outdir <dir>]

Reads <dir>/stacks/*/cdk.tf.json (default: $CDKTF_OUTDIR or cdktf.out) and, for every enabled
rule, evaluates each request S3 makes during replication against the synthesized policies.
  --json     print the report as JSON (for pipelines)
  --outdir   the cdktf output directory to read
  --version  print the version
Exit codes: 0 all checks passed, 1 a check failed, 2 nothing to check or bad arguments.`;

export async function runPreflightCommand(args: string[], io: CommandIo): Promise<number> {
  const answered = answerStandardFlags(args, io, USAGE);
  if (answered !== undefined) return answered;
  let values: { json?: boolean; outdir?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        outdir: { type: "string" },
      },
    }));
  } catch (error) {
    io.stderr(`preflight: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const report = await preflight(values.outdir ?? (io.env.CDKTF_OUTDIR || "cdktf.out"));
    io.stdout(values.json ? reportJson(report) : formatReport(report, "preflight"));
    return report.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof PreflightInputError) {
      io.stderr(`preflight: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
