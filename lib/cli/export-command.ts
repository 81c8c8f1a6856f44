/** `npm run export -- <dir>`: synthesize, then write the plain Terraform tree. Exit 2 on bad input. */
import { ExportError, exportTree } from "../export/export-tree";
import { runSynth } from "./synth";

export function runExportCommand(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; stdout: (t: string) => void; stderr: (t: string) => void },
): number {
  const [target, ...rest] = argv;
  if (!target || rest.length > 0 || target.startsWith("-")) {
    io.stderr("usage: npm run export -- <dir>");
    return 2;
  }
  if (runSynth({ env: io.env, stdout: () => {}, stderr: io.stderr }) !== 0) return 2;
  try {
    const stacks = exportTree(io.env.CDKTF_OUTDIR || "cdktf.out", target);
    io.stdout(`exported ${stacks.length} stack(s) to ${target}: ${stacks.join(", ")} (see ${target}/README.md)`);
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      io.stderr(`export: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
