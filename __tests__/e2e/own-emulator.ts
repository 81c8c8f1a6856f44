import { join } from "node:path";
import { type Emulator, startEmulator } from "./emulator";
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
    return await proof(stage, emulator);
  } finally {
    await emulator.stop();
  }
}
