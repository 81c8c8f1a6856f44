/**
 * `npm run verify`, behind one call: synthesize, then for every stack (or those named),
 * concurrently and bounded, the drift check, doctor's checks (with the canary when asked),
 * replication metrics over a window, and the last backfill job. A stack is healthy when no check
 * failed. The command file only parses and prints.
 */

import { loadModel, type PlanEnvironment, runOptionsOf } from "../../plan/plan";
import { eachStack, readManifest, stackDir, stacksToPlan } from "../../plan/run-plan";
import type { CanaryOptions } from "../doctor/canary";
import { runDoctor } from "../doctor/doctor";
import { backfillJobsOf } from "./backfill-job";
import { driftOf } from "./drift";
import { type Cell, cellOf, skipped, type VerifyCheck } from "./findings";
import { metricsOf } from "./metrics";
import { stackContents } from "./stack-contents";

export interface VerifyRequest {
  /** The stacks named; none: every stack `npm run plan` plans. */
  readonly stacks: readonly string[];
  /** Run the canary, with these options; without it the canary column says "not run". */
  readonly canary?: CanaryOptions;
  /** The metrics window, in seconds back from now. */
  readonly sinceSeconds: number;
}

export interface VerifyEnvironment extends PlanEnvironment {
  readonly now?: () => Date;
}

export interface StackRow {
  readonly stack: string;
  readonly healthy: boolean;
  readonly checks: Readonly<Record<VerifyCheck, Cell>>;
  /** Why the stack could not be checked at all, when it could not. */
  readonly error?: string;
}

export interface VerifyReport {
  readonly sinceSeconds: number;
  readonly canary: boolean;
  readonly stacks: readonly StackRow[];
  readonly healthy: number;
  readonly unhealthy: number;
}

export interface VerifyResult {
  /** 0 every stack healthy; 1 a stack unhealthy; 2 the config did not synthesize. */
  readonly code: number;
  readonly report?: VerifyReport;
}

const NOT_HERE = skipped("-");

export async function verify(request: VerifyRequest, environment: VerifyEnvironment): Promise<VerifyResult> {
  const { outdir } = environment;
  if (!environment.synth(outdir)) return { code: 2 };
  const model = loadModel(environment.env);
  const manifest = readManifest(outdir);
  const stacks = stacksToPlan(manifest, request.stacks);
  const clients = await environment.clients(model);
  const now = environment.now?.() ?? new Date();
  const options = runOptionsOf(environment, "verify", { stacks, manifest });
  const outcomes = await eachStack(options, false, async (stack, { init }): Promise<StackRow> => {
    const contents = stackContents(model, stack);
    const drift = await driftOf({ stack, cwd: stackDir(outdir)(stack), run: environment.run, init });
    if (contents.replications.length === 0) {
      const checks = { drift, doctor: NOT_HERE, canary: NOT_HERE, metrics: NOT_HERE, backfill: NOT_HERE };
      return { stack, healthy: drift.status !== "fail", checks };
    }
    const doctorFindings = [];
    const canaryFindings = [];
    for (const replication of contents.replications) {
      const results = await runDoctor({ replication, clients }, request.canary);
      doctorFindings.push(...results.filter((r) => r.check !== "canary"));
      canaryFindings.push(...results.filter((r) => r.check === "canary"));
    }
    const canary: Cell =
      request.canary === undefined
        ? skipped("not run")
        : canaryFindings.length === 0
          ? skipped("not run")
          : cellOf(canaryFindings, { pass: "replicated" });
    const checks = {
      drift,
      doctor: cellOf(doctorFindings),
      canary,
      metrics: await metricsOf(contents.replications, clients, { sinceSeconds: request.sinceSeconds, now }),
      backfill: await backfillJobsOf(contents.replications, clients),
    };
    return { stack, healthy: Object.values(checks).every((c) => c.status !== "fail"), checks };
  }).finally(options.progress.stop);
  const rows = stacks.map((stack): StackRow => {
    const outcome = outcomes.get(stack);
    if (outcome?.status === "done") return outcome.value;
    const error = outcome?.status === "failed" ? outcome.error.message : (outcome?.reason ?? "not run");
    const checks = { drift: NOT_HERE, doctor: NOT_HERE, canary: NOT_HERE, metrics: NOT_HERE, backfill: NOT_HERE };
    return { stack, healthy: false, checks, error };
  });
  const unhealthy = rows.filter((r) => !r.healthy).length;
  const report = {
    sinceSeconds: request.sinceSeconds,
    canary: request.canary !== undefined,
    stacks: rows,
    healthy: rows.length - unhealthy,
    unhealthy,
  };
  return { code: unhealthy > 0 ? 1 : 0, report };
}
