/**
 * `npm run synth`: config file -> <outdir>/stacks/<stack>/cdk.tf.json. A bad config prints every
 * problem and writes nothing.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildApp } from "../app";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv, loadConfig } from "../config/loader";
import type { Model } from "../config/model";
import { kmsDestinations, replicaKeyPolicyStatement, sharedReplicaKeyPolicyStatement } from "../policies/kms-policies";
import { topologyMarkdown } from "../topology/mermaid";

/** The reviewer's picture of the config, beside the stacks. */
export const TOPOLOGY_FILE = "topology.md";

export interface SynthIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

function stackNames(model: Model): string[] {
  return [
    ...(model.stateBootstrap ? [model.stateBootstrap.stackName] : []),
    ...model.sharedDestinations.map((d) => d.stackName),
    ...model.replications.map((r) => r.stackName),
  ];
}

/** What a person needs to hear about each stack: where it is, what it does, what comes first. */
function describeStacks(model: Model, outdir: string): string[] {
  const file = (name: string) => `  ${join(outdir, "stacks", name, "cdk.tf.json")}`;
  const lines: string[] = [];
  if (model.stateBootstrap) {
    const { stackName, bucket, account } = model.stateBootstrap;
    lines.push(
      file(stackName),
      `    creates the Terraform state bucket ${bucket} (${account.accountId}): deploy it first, once`,
    );
  }
  for (const shared of model.sharedDestinations) {
    const d = shared.destination;
    const from = shared.organization
      ? `the replication roles of organization ${shared.organization.id}`
      : shared.sources.map((r) => r.source.bucket).join(", ");
    lines.push(
      file(shared.stackName),
      `    ${d.bucket} (${d.account.accountId}) <- ${from}: deploy it before ${shared.sources.map((r) => r.stackName).join(", ")}`,
    );
    if (d.replicaKms?.kind === "existing") {
      lines.push(
        `The owner of replica key ${d.replicaKms.keyArn} must add this statement to its key policy (output replica_key_policy_statements of ${shared.stackName}):`,
        ...JSON.stringify(sharedReplicaKeyPolicyStatement(shared), null, 2)
          .split("\n")
          .map((line) => `  ${line}`),
      );
    }
  }
  for (const replication of model.replications) {
    const destinations = replication.destinations.map((d) => `${d.bucket} (${d.account.accountId})`).join(", ");
    lines.push(
      file(replication.stackName),
      `    ${replication.source.bucket} (${replication.source.account.accountId}) -> ${destinations}`,
    );
    if (replication.dependsOnStacks.length > 0) {
      lines.push(`    deploy after ${replication.dependsOnStacks.join(", ")} (it manages buckets this stack uses)`);
    }
  }
  for (const replication of model.replications) {
    for (const d of kmsDestinations(replication)) {
      if (d.replicaKms?.kind !== "existing" || d.sharedBy) continue;
      lines.push(
        `The owner of replica key ${d.replicaKms.keyArn} must add this statement to its key policy (output replica_key_policy_statements of ${replication.stackName}):`,
        ...JSON.stringify(replicaKeyPolicyStatement(replication, d), null, 2)
          .split("\n")
          .map((line) => `  ${line}`),
      );
    }
  }
  return lines;
}

/**
 * Removes stack directories a previous config wrote and this one does not, so that whatever
 * reads <outdir>/stacks (terraform, preflight, pipelines) never sees a stack that is gone.
 */
function removeStaleStacks(outdir: string, model: Model): string[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const current = new Set(stackNames(model));
  const stale = readdirSync(stacksDir).filter((name) => !current.has(name));
  for (const name of stale) rmSync(join(stacksDir, name), { recursive: true, force: true });
  return stale;
}

/** Runs a synth; returns the process exit code (0 written, 1 bad config). */
export function runSynth(io: SynthIo): number {
  const file = configFileFromEnv(io.env);
  let model: Model;
  try {
    model = loadConfig(file, io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
  const outdirSetting = io.env.CDKTF_OUTDIR || "cdktf.out";
  // cdktf creates only the last directory of the path.
  mkdirSync(outdirSetting, { recursive: true });
  const app = buildApp(model, outdirSetting);
  app.synth();
  writeFileSync(join(app.outdir, TOPOLOGY_FILE), topologyMarkdown(model));
  const outdir = relative(process.cwd(), app.outdir) || ".";
  for (const name of removeStaleStacks(app.outdir, model)) {
    io.stdout(`removed ${join(outdir, "stacks", name)}: its bucket is no longer in ${file}`);
  }
  io.stdout(`${file}: wrote ${stackNames(model).length} stack(s) to ${outdir}`);
  for (const line of describeStacks(model, outdir)) io.stdout(line);
  io.stdout(`  ${join(outdir, TOPOLOGY_FILE)}: what replicates where, as a Mermaid diagram`);
  return 0;
}
