/**
 * `npm run stacks`: the stacks `npm run plan` would plan, in deployment order, or split into at
 * most `shards` groups for the jobs of a CI matrix.
 */
import type { PlanEnvironment } from "./plan";
import { readManifest, stacksToPlan } from "./run-plan";
import { shardStacks } from "./shards";

export type StackList =
  | { readonly kind: "stacks"; readonly list: string[] }
  | { readonly kind: "shards"; readonly list: string[] };

/** The list, or undefined when the config did not synthesize (the problems are said). */
export function stackList(
  environment: Pick<PlanEnvironment, "outdir" | "synth">,
  shards: number,
): StackList | undefined {
  if (!environment.synth(environment.outdir)) return undefined;
  const stacks = stacksToPlan(readManifest(environment.outdir), []);
  return shards > 0
    ? { kind: "shards", list: shardStacks(stacks, shards).map((group) => group.join(" ")) }
    : { kind: "stacks", list: stacks };
}
