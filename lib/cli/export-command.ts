/** `npm run export -- <dir>`: synthesize, then write the plain Terraform tree. Exit 2 on bad input. */
import { ExportError, exportTree } from "../export/export-tree";
import { answerStandardFlags } from "./conventions";
import { runSynth } from "./synth";

export const EXPORT_USAGE = `usage: npm run export -- <dir> [--json]

Synthesizes, then writes the stacks as a plain Terraform tree to <dir> (one directory per stack,
with a README), for teams that run Terraform without Node.
  --json       print what was written as JSON
  --version    print the version
Exit codes: 0 written, 2 bad arguments or config.`;

export function runExportCommand(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; stdout: (t: string) => void; stderr: (t: string) => void },
): number {
  const answered = answerStandardFlags(argv, io, EXPORT_USAGE);
  if (answered !== undefined) return answered;
  const json = argv.includes("--json");
  const [target, ...rest] = argv.filter((a) => a !== "--json");
  if (!target || rest.length > 0 || target.startsWith("-")) {
    io.stderr(EXPORT_USAGE);
    return 2;
  }
  if (runSynth({ env: io.env, stdout: () => {}, stderr: io.stderr }) !== 0) return 2;
  try {
    const stacks = exportTree(io.env.CDKTF_OUTDIR || "cdktf.out", target);
    io.stdout(
      json
        ? JSON.stringify({ directory: target, stacks }, null, 2)
        : `exported ${stacks.length} stack(s) to ${target}: ${stacks.join(", ")} (see ${target}/README.md)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      io.stderr(`export: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
