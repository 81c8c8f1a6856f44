/**
 * `npm run synth`: config file -> <outdir>/stacks/<stack>/cdk.tf.json. A bad config prints every
 * problem and writes nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildApp } from "../app";
import { ConfigError } from "../config/config-error";
import { configFileFromEnv, loadConfig } from "../config/loader";
import type { Model } from "../config/model";
import { kmsDestinations, replicaKeyPolicyStatement, sharedReplicaKeyPolicyStatement } from "../policies/kms-policies";
import { topologyMarkdown } from "../topology/mermaid";
import { answerStandardFlags } from "./conventions";

/** The reviewer's picture of the config, beside the stacks. */
export const TOPOLOGY_FILE = "topology.md";

/**
 * The statements the owners of existing replica keys must add to their key policies, beside the
 * stacks (also each stack's output replica_key_policy_statements). Synth prints a statement in
 * full only when it is new or changed since the previous synth; otherwise one line points here.
 */
export const KEY_STATEMENTS_FILE = "replica-key-policy-statements.json";

export interface SynthIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Only problems and removed stacks (plan, stacks, pipelines). */
  readonly quiet?: boolean;
}

interface OwedStatement {
  readonly stack: string;
  readonly keyArn: string;
  readonly statement: unknown;
}

function owedStatements(model: Model): OwedStatement[] {
  const shared = model.sharedDestinations.flatMap((d) =>
    d.destination.replicaKms?.kind === "existing"
      ? [{ stack: d.stackName, keyArn: d.destination.replicaKms.keyArn, statement: sharedReplicaKeyPolicyStatement(d) }]
      : [],
  );
  return [
    ...shared,
    ...model.replications.flatMap((replication) =>
      kmsDestinations(replication).flatMap((d) =>
        d.replicaKms?.kind === "existing" && !d.sharedBy
          ? [
              {
                stack: replication.stackName,
                keyArn: d.replicaKms.keyArn,
                statement: replicaKeyPolicyStatement(replication, d),
              },
            ]
          : [],
      ),
    ),
  ];
}

function previousStatements(outdir: string): OwedStatement[] {
  try {
    return JSON.parse(readFileSync(join(outdir, KEY_STATEMENTS_FILE), "utf8"));
  } catch {
    return [];
  }
}

/** A statement in full when it is new or changed, else one line naming the file it is in. */
function describeStatements(owed: OwedStatement[], previous: OwedStatement[], file: string): string[] {
  const seen = new Map(previous.map((p) => [`${p.stack}|${p.keyArn}`, JSON.stringify(p.statement)]));
  return owed.flatMap(({ stack, keyArn, statement }) => {
    const text = JSON.stringify(statement, null, 2);
    if (seen.get(`${stack}|${keyArn}`) === JSON.stringify(statement)) {
      return [`  replica key ${keyArn}: its owner adds the statement in ${file} (unchanged since the last synth)`];
    }
    return [
      `The owner of replica key ${keyArn} must add this statement to its key policy (new or changed; also in ${file} and output replica_key_policy_statements of ${stack}):`,
      ...text.split("\n").map((line) => `  ${line}`),
    ];
  });
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
  const previous = previousStatements(app.outdir);
  app.synth();
  writeFileSync(join(app.outdir, TOPOLOGY_FILE), topologyMarkdown(model));
  const owed = owedStatements(model);
  const statementsFile = join(app.outdir, KEY_STATEMENTS_FILE);
  if (owed.length > 0) writeFileSync(statementsFile, `${JSON.stringify(owed, null, 2)}\n`);
  else rmSync(statementsFile, { force: true });
  const outdir = relative(process.cwd(), app.outdir) || ".";
  for (const name of removeStaleStacks(app.outdir, model)) {
    io.stdout(`removed ${join(outdir, "stacks", name)}: its bucket is no longer in ${file}`);
  }
  if (io.quiet) return 0;
  io.stdout(`${file}: wrote ${stackNames(model).length} stack(s) to ${outdir}`);
  for (const line of describeStacks(model, outdir)) io.stdout(line);
  for (const line of describeStatements(owed, previous, join(outdir, KEY_STATEMENTS_FILE))) io.stdout(line);
  io.stdout(`  ${join(outdir, TOPOLOGY_FILE)}: what replicates where, as a Mermaid diagram`);
  return 0;
}

export const SYNTH_USAGE = `usage: npm run synth [-- --quiet]

Reads the config file ($REPLICATION_CONFIG, else replication.config.json) and writes one Terraform
JSON stack per source bucket to $CDKTF_OUTDIR (default cdktf.out), with ${TOPOLOGY_FILE} and, when
existing replica keys need a statement in their key policy, ${KEY_STATEMENTS_FILE}.
  --quiet      print only problems (for pipelines)
  --version    print the version
Exit codes: 0 written, 1 the config has problems (nothing is written).`;

/** `npm run synth` with its arguments (cdktf runs it with none). */
export function runSynthCommand(argv: readonly string[], io: SynthIo): number {
  return answerStandardFlags(argv, io, SYNTH_USAGE) ?? runSynth({ ...io, quiet: argv.includes("--quiet") });
}
