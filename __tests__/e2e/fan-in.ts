/**
 * Proofs for a destination bucket several sources share (examples/central-log-archive.json):
 * - every source destroyed and applied again in turn, while the shared bucket keeps its policy,
 *   with every source's grant, and its versioning, and the other sources keep their rules;
 * - a one-to-one setup gaining sources: the first source's stack forgets the destination's
 *   versioning and policy instead of destroying them (removed blocks), so versioning stays
 *   Enabled throughout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Model } from "../../lib/config/model";
import { existingArchiveConfig } from "./derived-configs";
import { type ExpectedConfig, loadExpected } from "./expected";
import { policyDifferences } from "./iam-equivalence";
import { type Outcome, onOwnEmulator } from "./own-emulator";
import { bucketState, readBackProblems, resolved } from "./read-back";
import { applyStack, destroyStack, PROJECT_ROOT, type ScenarioOptions, type Stage, step, synth } from "./scenario";
import { type Snapshot, snapshot } from "./snapshot";
import { writeProviderOverride } from "./terraform";

const CENTRAL = join(PROJECT_ROOT, "examples", "central-log-archive.json");

/**
 * What must hold for the shared bucket and every source still applied, after each step: the
 * shared bucket keeps the policy its expected file names, with every source's grant, and its
 * versioning; every applied source still replicates.
 */
function sharedProblems(
  expected: ExpectedConfig,
  model: Model,
  live: Snapshot,
  applied: ReadonlySet<string>,
  when: string,
): string[] {
  const problems: string[] = [];
  for (const shared of model.sharedDestinations) {
    const d = shared.destination;
    const bucket = bucketState(live, d.account.accountId, d.bucket);
    if (bucket?.versioning !== "Enabled") problems.push(`${when}: ${d.bucket} versioning ${bucket?.versioning}`);
    const policy = [...expected.stacks.values()]
      .flatMap((s) => s.buckets)
      .find((b) => b.name === d.bucket && b.policy)?.policy;
    const differences = policyDifferences(resolved(policy, live), bucket?.policy ?? null);
    if (differences.length > 0) problems.push(`${when}: ${d.bucket} policy: ${differences.join(", ")}`);
  }
  for (const r of model.replications.filter((x) => applied.has(x.stackName))) {
    const source = bucketState(live, r.source.account.accountId, r.source.bucket);
    if (source?.replication?.Role !== r.role.arn) problems.push(`${when}: ${r.source.bucket} no longer replicates`);
  }
  return problems;
}

async function applyAll(stage: Stage): Promise<void> {
  for (const stack of stage.order) await applyStack(stage, stack);
}

export const sourcesInTurn = (options: ScenarioOptions): Promise<Outcome> =>
  onOwnEmulator(options, CENTRAL, "proof-fan-in", async (stage, emulator) => {
    const expected = loadExpected("central-log-archive");
    await applyAll(stage);
    const sources = stage.model.replications.map((r) => r.stackName);
    const problems: string[] = [];
    for (const stack of sources) {
      await destroyStack(stage, stack);
      const others = new Set(sources.filter((s) => s !== stack));
      problems.push(
        ...sharedProblems(expected, stage.model, await snapshot(emulator, stage.world), others, `${stack} destroyed`),
      );
      await applyStack(stage, stack);
      problems.push(
        ...sharedProblems(
          expected,
          stage.model,
          await snapshot(emulator, stage.world),
          new Set(sources),
          `${stack} applied again`,
        ),
      );
    }
    return {
      passed: problems.length === 0,
      result:
        problems.length === 0
          ? `${sources.length} sources each destroyed and applied again: the others kept replicating, the shared policy kept every grant, versioning stayed Enabled`
          : problems.join("; "),
    };
  });

export async function oneToFanIn(options: ScenarioOptions): Promise<Outcome> {
  const dir = join(options.workDir, "proof-one-to-fan-in");
  const fanInFile = join(dir, "fan-in.json");
  const oneFile = join(dir, "one.json");
  const fanIn = existingArchiveConfig();
  mkdirSync(dir, { recursive: true });
  writeFileSync(fanInFile, JSON.stringify(fanIn, null, 2));
  writeFileSync(oneFile, JSON.stringify({ ...fanIn, replications: fanIn.replications.slice(0, 1) }, null, 2));
  return onOwnEmulator(options, fanInFile, "proof-one-to-fan-in", async (stage, emulator) => {
    const expected = loadExpected("proof-one-to-fan-in");
    const outdir = join(stage.dir, "cdktf.out");
    const first = stage.model.replications[0].stackName;
    // One source: its stack owns the archive's versioning and policy, as before.
    await step("synth (one source)", synth(oneFile, outdir, stage.world.env));
    writeProviderOverride(stage.stackDir(first), options.providerVersion);
    await applyStack(stage, first);
    // Three sources: the first stack forgets, the destination stack takes over, the others follow.
    await step("synth (three sources)", synth(fanInFile, outdir, stage.world.env));
    for (const stack of stage.order) writeProviderOverride(stage.stackDir(stack), options.providerVersion);
    const problems: string[] = [];
    const archive = stage.model.sharedDestinations[0].destination;
    const versioning = async (when: string) => {
      const v = bucketState(
        await snapshot(emulator, stage.world),
        archive.account.accountId,
        archive.bucket,
      )?.versioning;
      if (v !== "Enabled") problems.push(`${when}: versioning ${v}`);
    };
    await applyStack(stage, first);
    await versioning(`${first} applied with the archive shared`);
    for (const stack of stage.order.filter((s) => s !== first)) await applyStack(stage, stack);
    // Every stack applied: the accounts hold exactly what the three-source config's expected files say.
    problems.push(
      ...readBackProblems(expected, await snapshot(emulator, stage.world)).map((p) => `every stack applied: ${p}`),
    );
    await destroyStack(stage, first);
    await versioning(`${first} destroyed`);
    return {
      passed: problems.length === 0,
      result:
        problems.length === 0
          ? "the first source's stack forgot the archive's versioning and policy; the destination stack took them over; versioning stayed Enabled, also after that stack's destroy"
          : problems.join("; "),
    };
  });
}
