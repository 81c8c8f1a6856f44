/**
 * Where a run's Terraform time goes: a `terraform` earlier on PATH that runs the real one and
 * appends its subcommand and wall time to a log, so a benchmark can split `npm run plan`'s time
 * into init, plan and show without changing the product.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface TerraformTimer {
  /** The environment with the timing `terraform` first on PATH. */
  readonly env: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /** Seconds per subcommand since the last reset, summed over every call. */
  readonly totals: () => Record<string, number>;
  readonly reset: () => void;
}

export function terraformTimer(dir: string, realTerraform: string): TerraformTimer {
  const bin = join(dir, "bin");
  const log = join(dir, "terraform-times.log");
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, "terraform");
  writeFileSync(
    shim,
    [
      "#!/bin/bash",
      "started=$(date +%s.%N)",
      `${JSON.stringify(realTerraform)} "$@"`,
      "code=$?",
      `echo "$1 $started $(date +%s.%N)" >> ${JSON.stringify(log)}`,
      "exit $code",
      "",
    ].join("\n"),
  );
  chmodSync(shim, 0o755);
  return {
    env: (env) => ({ ...env, PATH: `${bin}${delimiter}${env.PATH ?? ""}` }),
    totals: () => {
      const totals: Record<string, number> = {};
      if (!existsSync(log)) return totals;
      for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
        const [command, started, ended] = line.split(" ");
        totals[command] = (totals[command] ?? 0) + Number(ended) - Number(started);
      }
      return totals;
    },
    reset: () => rmSync(log, { force: true }),
  };
}
