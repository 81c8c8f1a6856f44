import { join } from "node:path";
import { type Emulator, emulatorFaults, startEmulator } from "./emulator";
import { prepare, type ScenarioOptions, type Stage } from "./scenario";

export type Outcome = { passed: boolean; result: string };

/** A config prepared (world seeded, synthesized) on an emulator of its own, stopped afterwards. */
export async function onOwnEmulator(
  options: ScenarioOptions,
  config: string,
  name: string,
  proof: (stage: Stage, emulator: Emulator) => Promise<Outcome>,
): Promise<Outcome> {
  const emulator = await startEmulator();
  try {
    const stage = await prepare(emulator, config, join(options.workDir, name), options.providerVersion, options.mirror);
    return withoutFaults(await proof(stage, emulator), emulator);
  } finally {
    await emulator.stop();
  }
}

/** A proof's outcome, failed if the emulator met a policy it could not evaluate faithfully. */
export function withoutFaults(outcome: Outcome, emulator: Emulator): Outcome {
  const faults = emulatorFaults(emulator);
  return faults.length === 0 ? outcome : { passed: false, result: `${faults.join("; ")}; ${outcome.result}` };
}
