/**
 * `npm run synth`: config file -> <outdir>/stacks/<stack>/cdk.tf.json. A bad config prints every
 * problem and writes nothing.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { buildApp } from "../app";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv, loadConfig } from "../config/loader";
import type { Model } from "../config/model";

export interface SynthIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/**
 * Removes stack directories a previous config wrote and this one does not, so that whatever
 * reads <outdir>/stacks (terraform, preflight, pipelines) never sees a stack that is gone.
 */
function removeStaleStacks(outdir: string, model: Model): string[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const current = new Set(model.replications.map((r) => r.stackName));
  const stale = readdirSync(stacksDir).filter((name) => !current.has(name));
  for (const name of stale) rmSync(join(stacksDir, name), { recursive: true, force: true });
  return stale;
}

/** Runs a synth; returns the process exit code (0 written, 1 bad config). */
export function runSynth(io: SynthIo): number {
  const file = configFileFromEnv(io.env);
  let model: Model;
  try {
    model = loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
  const app = buildApp(model, io.env.CDKTF_OUTDIR || "cdktf.out");
  app.synth();
  const outdir = relative(process.cwd(), app.outdir) || ".";
  for (const name of removeStaleStacks(app.outdir, model)) {
    io.stdout(`removed ${join(outdir, "stacks", name)}: its source bucket is no longer in ${file}`);
  }
  io.stdout(`${file}: wrote ${model.replications.length} stack(s) to ${outdir}`);
  for (const replication of model.replications) {
    const destinations = replication.destinations.map((d) => `${d.bucket} (${d.account.accountId})`).join(", ");
    io.stdout(`  ${join(outdir, "stacks", replication.stackName, "cdk.tf.json")}`);
    io.stdout(`    ${replication.source.bucket} (${replication.source.account.accountId}) -> ${destinations}`);
  }
  return 0;
}
