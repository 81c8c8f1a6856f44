import type { Config } from "./schema";

/**
 * The destination buckets that need an owner of their own: those the rules of more than one
 * source name, and those listed under sharedDestinations. One-to-one destinations stay with their
 * source's stack, so their Terraform addresses do not change. In config order.
 */
export function sharedBucketNames(config: Pick<Config, "replications" | "sharedDestinations">): string[] {
  const receivers = new Map<string, Set<number>>();
  config.replications.forEach((r, i) => {
    for (const rule of r.rules) {
      const set = receivers.get(rule.destination.bucket) ?? new Set<number>();
      set.add(i);
      receivers.set(rule.destination.bucket, set);
    }
  });
  return [...receivers.entries()]
    .filter(([bucket, sources]) => sources.size > 1 || Object.hasOwn(config.sharedDestinations, bucket))
    .map(([bucket]) => bucket);
}
