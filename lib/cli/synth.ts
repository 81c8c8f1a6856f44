/**
 * `npm run synth`: config file -> <outdir>/stacks/<stack>/cdk.tf.json. A bad config prints every
 * problem and writes nothing. The stacks are synthesized into a staging directory beside the
 * output directory and moved into place only when all of them are written, so an error never
 * leaves a half-written output directory.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { buildApp } from "../app";
import { loadCheckedConfig } from "../checked-model";
import { ConfigError, formatPath } from "../config/config-error";
import { configFileFromEnv } from "../config/loader";
import type { Model } from "../config/model";
import { replicationAddresses, sharedDestinationOutput } from "../naming";
import { kmsDestinations, replicaKeyPolicyStatement, sharedReplicaKeyPolicyStatement } from "../policies/kms-policies";
import { TOPOLOGY_FILE, topologyMarkdown } from "../topology/mermaid";
import { answerStandardFlags } from "./conventions";

/**
 * The statements the owners of existing replica keys must add to their key policies, beside the
 * stacks (also each stack's output replica_key_policy_statements). Synth prints a statement in
 * full only when it is new or changed since the previous synth; otherwise one line points here.
 */
export const KEY_STATEMENTS_FILE = "replica-key-policy-statements.json";

const KEY_STATEMENTS_OUTPUT = "replica_key_policy_statements";

export interface SynthIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Only problems and removed stacks (plan, stacks, pipelines). */
  readonly quiet?: boolean;
  /**
   * The cdktf CLI runs this synth (`cdktf synth`, `diff`, `deploy`; cdktf.json passes
   * --run-by-cdktf). The CLI lists the stack directories before it runs the app and removes, after,
   * those the manifest no longer names, without tolerating one that is already gone
   * (@cdktf/cli-core 0.21.0, SynthStack.synth: `fs.rmSync(orphanedDirectory, { recursive: true })`
   * throws ENOENT). So under the CLI a stale stack directory is left for the CLI to remove.
   */
  readonly runByCdktf?: boolean;
}

interface OwedStatement {
  readonly stack: string;
  readonly keyArn: string;
  readonly statement: unknown;
}

/** A statement, and the stack output that holds it too (not written to the file). */
interface Owed extends OwedStatement {
  readonly output: string;
}

function owedStatements(model: Model): Owed[] {
  const grouped = new Set(model.stacks.filter((s) => s.grouped).map((s) => s.name));
  const shared = model.sharedDestinations.flatMap((d) =>
    d.destination.replicaKms?.kind === "existing"
      ? [
          {
            stack: d.stackName,
            keyArn: d.destination.replicaKms.keyArn,
            statement: sharedReplicaKeyPolicyStatement(d),
            output: sharedDestinationOutput(KEY_STATEMENTS_OUTPUT, d.destination.bucket, grouped.has(d.stackName)),
          },
        ]
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
                output: replicationAddresses(replication.source.bucket, grouped.has(replication.stackName)).output(
                  KEY_STATEMENTS_OUTPUT,
                ),
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
function describeStatements(owed: Owed[], previous: OwedStatement[], file: string): string[] {
  const seen = new Map(previous.map((p) => [`${p.stack}|${p.keyArn}`, JSON.stringify(p.statement)]));
  return owed.flatMap(({ stack, keyArn, statement, output }) => {
    const text = JSON.stringify(statement, null, 2);
    if (seen.get(`${stack}|${keyArn}`) === JSON.stringify(statement)) {
      return [`  replica key ${keyArn}: its owner adds the statement in ${file} (unchanged since the last synth)`];
    }
    return [
      `The owner of replica key ${keyArn} must add this statement to its key policy (new or changed; also in ${file} and output ${output} of ${stack}):`,
      ...text.split("\n").map((line) => `  ${line}`),
    ];
  });
}

function stackNames(model: Model): string[] {
  return [...(model.stateBootstrap ? [model.stateBootstrap.stackName] : []), ...model.stacks.map((s) => s.name)];
}

/**
 * What a person needs to hear about each stack: where it is, what it does, what comes first.
 * `stackFile` is the name the app wrote: cdk.tf.json, or cdk.tf under `cdktf synth --hcl`.
 */
function describeStacks(model: Model, outdir: string, stackFile: string): string[] {
  const file = (name: string) => `  ${join(outdir, "stacks", name, stackFile)}`;
  const lines: string[] = [];
  if (model.stateBootstrap) {
    const { stackName, bucket, account } = model.stateBootstrap;
    lines.push(
      file(stackName),
      `    creates the Terraform state bucket ${bucket} (${account.accountId}): deploy it first, once`,
    );
  }
  for (const stack of model.stacks) {
    lines.push(file(stack.name));
    for (const shared of stack.sharedDestinations) {
      const d = shared.destination;
      const from = shared.organization
        ? `the replication roles of organization ${shared.organization.id}`
        : shared.sources.map((r) => r.source.bucket).join(", ");
      const later = [...new Set(shared.sources.map((r) => r.stackName))].filter((s) => s !== stack.name);
      lines.push(
        `    ${d.bucket} (${d.account.accountId}) <- ${from}${later.length > 0 ? `: deploy it before ${later.join(", ")}` : ""}`,
      );
    }
    for (const replication of stack.replications) {
      const destinations = replication.destinations.map((d) => `${d.bucket} (${d.account.accountId})`).join(", ");
      lines.push(`    ${replication.source.bucket} (${replication.source.account.accountId}) -> ${destinations}`);
    }
    if (stack.dependsOn.length > 0) {
      lines.push(
        `    deploy after ${stack.dependsOn.join(", ")} (${stack.dependsOn.length === 1 ? "it manages" : "they manage"} buckets this stack uses)`,
      );
    }
  }
  return lines;
}

/** Stack directories a previous config wrote and this one does not. */
function staleStacks(outdir: string, model: Model): string[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const current = new Set(stackNames(model));
  return readdirSync(stacksDir).filter((name) => !current.has(name));
}

/** Why a file could not be written, in words, for the errors a person can fix. */
function writeProblem(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    ENOTDIR: "a file is in the way of a directory",
    EEXIST: "a file is in the way of a directory",
    EISDIR: "a directory is in the way of a file",
  };
  return code && Object.hasOwn(reasons, code) ? reasons[code] : undefined;
}

/** Moves the staged stacks, manifest and topology into `outdir`, replacing their previous versions. */
function install(staging: string, outdir: string): void {
  for (const stack of readdirSync(join(staging, "stacks"))) {
    const target = join(outdir, "stacks", stack);
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(join(staging, "stacks", stack))) {
      renameSync(join(staging, "stacks", stack, file), join(target, file));
    }
  }
  for (const file of readdirSync(staging).filter((f) => f !== "stacks")) {
    renameSync(join(staging, file), join(outdir, file));
  }
}

/** Runs a synth; returns the process exit code (0 written, 1 bad config or unwritable output). */
export function runSynth(io: SynthIo): number {
  const file = configFileFromEnv(io.env);
  let model: Model;
  try {
    model = loadCheckedConfig(file, io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
  for (const warning of model.warnings) io.stderr(`${file}: warning: ${formatPath(warning.path)}: ${warning.message}`);
  const outdirSetting = io.env.CDKTF_OUTDIR || "cdktf.out";
  const absoluteOutdir = resolve(outdirSetting);
  const previous = previousStatements(absoluteOutdir);
  const owed = owedStatements(model);
  let staging: string | undefined;
  let installing = false;
  let stackFile = "cdk.tf.json";
  try {
    mkdirSync(dirname(absoluteOutdir), { recursive: true });
    staging = mkdtempSync(join(dirname(absoluteOutdir), `.${basename(absoluteOutdir)}.staging-`));
    const app = buildApp(model, staging);
    app.synth();
    stackFile = app.manifest.stackFileName;
    writeFileSync(join(staging, TOPOLOGY_FILE), topologyMarkdown(model));
    if (owed.length > 0) {
      const file = owed.map(({ stack, keyArn, statement }): OwedStatement => ({ stack, keyArn, statement }));
      writeFileSync(join(staging, KEY_STATEMENTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
    }
    installing = true;
    mkdirSync(absoluteOutdir, { recursive: true });
    install(staging, absoluteOutdir);
    if (owed.length === 0) rmSync(join(absoluteOutdir, KEY_STATEMENTS_FILE), { force: true });
  } catch (error) {
    const problem = writeProblem(error);
    if (!problem) throw error;
    const path = (error as NodeJS.ErrnoException).path ?? outdirSetting;
    io.stderr(
      `cannot write ${path} (${problem}): ${installing ? `${outdirSetting} may hold a mix of old and new stacks; ` : "nothing was written; "}make ${outdirSetting} writable, or set CDKTF_OUTDIR to a directory you can write`,
    );
    return 1;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
  const outdir = relative(process.cwd(), absoluteOutdir) || ".";
  // Whatever reads <outdir>/stacks (terraform, preflight, pipelines) must never see a stack that is gone.
  for (const name of staleStacks(absoluteOutdir, model)) {
    const stale = join(outdir, "stacks", name);
    if (io.runByCdktf) {
      io.stdout(`${stale}: its bucket is no longer in ${file}; the cdktf CLI removes it`);
    } else {
      rmSync(join(absoluteOutdir, "stacks", name), { recursive: true, force: true });
      io.stdout(`removed ${stale}: its bucket is no longer in ${file}`);
    }
  }
  if (io.quiet) return 0;
  io.stdout(`${file}: wrote ${stackNames(model).length} stack(s) to ${outdir}`);
  for (const line of describeStacks(model, outdir, stackFile)) io.stdout(line);
  for (const line of describeStatements(owed, previous, join(outdir, KEY_STATEMENTS_FILE))) io.stdout(line);
  io.stdout(`  ${join(outdir, TOPOLOGY_FILE)}: what replicates where, as a Mermaid diagram`);
  return 0;
}

export const SYNTH_USAGE = `usage: npm run synth [-- --quiet]

Reads the config file ($REPLICATION_CONFIG, else replication.config.json) and writes its Terraform
JSON stacks (one per source bucket, or as stackLayout groups them) to $CDKTF_OUTDIR (default
cdktf.out), with ${TOPOLOGY_FILE} and, when
existing replica keys need a statement in their key policy, ${KEY_STATEMENTS_FILE}. A stack
directory whose bucket left the config is removed.
  --quiet           print only problems (for pipelines)
  --run-by-cdktf    the cdktf CLI runs this synth (cdktf.json): it removes stale stack directories itself
  --version         print the version
Exit codes: 0 written, 1 the config has problems (nothing is written), 2 an unknown option.`;

const SYNTH_OPTIONS = ["--quiet", "--run-by-cdktf"];

/** `npm run synth` with its arguments; the cdktf CLI runs it with --run-by-cdktf (cdktf.json). */
export function runSynthCommand(argv: readonly string[], io: SynthIo): number {
  const answered = answerStandardFlags(argv, io, SYNTH_USAGE);
  if (answered !== undefined) return answered;
  const unknown = argv.filter((a) => !SYNTH_OPTIONS.includes(a));
  if (unknown.length > 0) {
    io.stderr(`synth: unknown argument ${unknown.join(" ")}\n${SYNTH_USAGE.split("\n")[0]}`);
    return 2;
  }
  return runSynth({ ...io, quiet: argv.includes("--quiet"), runByCdktf: argv.includes("--run-by-cdktf") });
}
