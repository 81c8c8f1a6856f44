/**
 * What `npm run plan` leaves beside each stack's saved plan, so that `npm run apply` applies only
 * that plan: the SHA-256 of the synthesized JSON it was planned from, of the plan file and of the
 * provider lock file, the summary the reviewer saw, and what the existing-bucket check found.
 * At apply, the plan file's own configuration (the archive Terraform applies) must be the fresh
 * synth, byte for byte, and its lock file the one beside it. In a pipeline the hashes also come
 * from the plan job through job outputs (`REPLICATION_REVIEWED_PLAN_HASHES`), so that an artifact swapped
 * between the jobs, record included, is refused.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readPlanArchive } from "./plan-archive";
import type { PlanSummary } from "./plan-summary";
import { LOCK_FILE } from "./plugin-cache";
import type { CanonicalRule } from "./replication-rules";

export const PLAN_FILE = "replication.tfplan";
export const PLAN_RECORD_FILE = "replication.tfplan.json";
export const SYNTH_FILE = "cdk.tf.json";

export interface PlanRecord {
  readonly stack: string;
  readonly synthSha256: string;
  readonly planSha256: string;
  readonly lockSha256: string;
  /** The summary in Markdown, as `npm run plan` printed it. */
  readonly summary: string;
  readonly counts: PlanSummary["counts"];
  /** What the reviewed plan said the apply removes or rewrites on existing buckets (takeover.ts keys). */
  readonly removals: readonly string[];
  /**
   * The rules the apply writes, by source bucket, for each replication configuration it creates
   * (checked again at apply).
   */
  readonly plannedRules?: Readonly<Record<string, readonly CanonicalRule[]>>;
  /** The buckets the plan creates (each checked again at apply: it must still not exist). */
  readonly createdBuckets: readonly string[];
  /** The changes `terraform show -json` read from the plan file (changesDigest): apply reads them again. */
  readonly changesSha256: string;
  /**
   * The plan changes nothing (`plan -detailed-exitcode` exited 0, or it only reads the
   * existing-policy guard's data sources again): apply leaves the stack alone.
   */
  readonly noChanges?: boolean;
}

/**
 * What a plan changes, as one hash: its resource and output changes as `terraform show -json`
 * prints them. A plan made from the same configuration in another mode (`-destroy`, `-target`,
 * `-replace`) or from another state has other changes, whatever its record says.
 */
export function changesDigest(plan: { resource_changes?: unknown; output_changes?: unknown }): string {
  const changes = JSON.stringify({ resources: plan.resource_changes ?? [], outputs: plan.output_changes ?? {} });
  return createHash("sha256").update(changes).digest("hex");
}

/** The hashes one plan job hands the apply job, per stack. */
export interface PlanHashes {
  readonly plan: string;
  readonly lock: string;
  readonly record: string;
}

export function sha256Of(file: string): string {
  return sha256(readFileSync(file));
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type PlanFacts = Omit<PlanRecord, "stack" | "synthSha256" | "planSha256" | "lockSha256">;

export function writePlanRecord(stackDir: string, stack: string, facts: PlanFacts): PlanRecord {
  const lock = join(stackDir, LOCK_FILE);
  const record: PlanRecord = {
    stack,
    synthSha256: sha256Of(join(stackDir, SYNTH_FILE)),
    planSha256: sha256Of(join(stackDir, PLAN_FILE)),
    lockSha256: existsSync(lock) ? sha256Of(lock) : "",
    ...facts,
  };
  writeFileSync(join(stackDir, PLAN_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** The hashes of a stack's saved plan, record and lock file, as `npm run plan` hands them on. */
export function planHashes(stackDir: string): PlanHashes {
  const lock = join(stackDir, LOCK_FILE);
  return {
    plan: sha256Of(join(stackDir, PLAN_FILE)),
    lock: existsSync(lock) ? sha256Of(lock) : "",
    record: sha256Of(join(stackDir, PLAN_RECORD_FILE)),
  };
}

/** Override files Terraform merges into a configuration: the only files a plan may hold besides the synth. */
const OVERRIDE = /^(override|.+_override)\.tf(\.json)?$/;

function same(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

/**
 * The configuration inside the plan file, against the fresh synth: Terraform applies the
 * archive's, so it must be the fresh `cdk.tf.json` byte for byte, plus only override files that
 * are beside the plan now, unchanged. Returns what differs.
 */
function configurationProblems(stack: string, stackDir: string, synthesized: string): string[] {
  const archive = readPlanArchive(join(stackDir, PLAN_FILE));
  if (!archive) return [`${stack}: ${PLAN_FILE} is not a Terraform plan file: run \`npm run plan\` again`];
  const problems: string[] = [];
  const fresh = existsSync(synthesized) ? readFileSync(synthesized) : undefined;
  if (!same(archive.rootFiles.get(SYNTH_FILE), fresh)) {
    problems.push(
      `${stack}: ${PLAN_FILE} was planned from another configuration than this config synthesizes (its ${SYNTH_FILE} differs): run \`npm run plan\` again and review it`,
    );
  }
  for (const [name, bytes] of archive.rootFiles) {
    if (name === SYNTH_FILE) continue;
    const beside = join(stackDir, name);
    if (!OVERRIDE.test(name) || !existsSync(beside) || !same(bytes, readFileSync(beside))) {
      problems.push(
        `${stack}: ${PLAN_FILE} holds configuration file ${name}, which is not ${OVERRIDE.test(name) ? "beside it unchanged" : "an override file"}: run \`npm run plan\` again and review it`,
      );
    }
  }
  if (archive.moduleFiles.length > 0) {
    problems.push(
      `${stack}: ${PLAN_FILE} holds modules the synthesized stacks do not have: run \`npm run plan\` again`,
    );
  }
  const lock = join(stackDir, LOCK_FILE);
  const lockBeside = existsSync(lock) ? readFileSync(lock) : undefined;
  if (archive.lock !== undefined || lockBeside !== undefined) {
    if (!same(archive.lock, lockBeside)) {
      problems.push(
        `${stack}: ${PLAN_FILE} was planned with another provider lock file than ${LOCK_FILE} beside it: run \`npm run plan\` again`,
      );
    }
  }
  return problems;
}

/** The override files a plan holds, for the apply's output. */
export function overrideFiles(stackDir: string): string[] {
  const archive = readPlanArchive(join(stackDir, PLAN_FILE));
  return [...(archive?.rootFiles.keys() ?? [])].filter((name) => name !== SYNTH_FILE);
}

/**
 * The saved plan of a stack, checked: it exists; the plan file is the one that was summarized; the
 * synthesized JSON (`synthesized`, the file a fresh synth wrote) is byte for byte the one it was
 * planned from, and the plan file's own configuration and lock file are too; and, when the plan
 * job's hashes are given, the plan, lock and record are the ones it made. Returns the reasons it
 * may not be applied, or the record.
 */
export function checkSavedPlan(
  stackDir: string,
  stack: string,
  synthesized: string,
  expected?: PlanHashes,
): PlanRecord | string[] {
  const recordFile = join(stackDir, PLAN_RECORD_FILE);
  if (!existsSync(recordFile) || !existsSync(join(stackDir, PLAN_FILE))) {
    return [`${stack}: no saved plan: run \`npm run plan\` and review it first`];
  }
  if (expected) {
    const actual = planHashes(stackDir);
    const differ = (["plan", "lock", "record"] as const).filter((k) => actual[k] !== expected[k]);
    if (differ.length > 0) {
      return [
        `${stack}: the ${differ.map((k) => ({ plan: PLAN_FILE, lock: LOCK_FILE, record: PLAN_RECORD_FILE })[k]).join(", ")} here ${differ.length === 1 ? "is not the one" : "are not the ones"} the plan job made (REPLICATION_REVIEWED_PLAN_HASHES): nothing from this artifact is applied`,
      ];
    }
  }
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as PlanRecord;
  if (sha256Of(join(stackDir, PLAN_FILE)) !== record.planSha256) {
    return [`${stack}: ${PLAN_FILE} is not the plan that was summarized: run \`npm run plan\` again`];
  }
  if (!existsSync(synthesized) || sha256Of(synthesized) !== record.synthSha256) {
    return [`${stack}: the synthesized JSON changed since the plan: run \`npm run plan\` again and review it`];
  }
  const problems = configurationProblems(stack, stackDir, synthesized);
  return problems.length > 0 ? problems : record;
}
