/**
 * Stacks split into at most `count` groups for CI jobs (GitHub allows 256 jobs per matrix): runs
 * of neighbouring stacks in deployment order, sizes differing by one at most, so a 300-stack config
 * still fits one matrix and each job plans its group concurrently.
 */
export function shardStacks(stacks: readonly string[], count: number): string[][] {
  const groups = Math.min(count, stacks.length);
  const shards: string[][] = [];
  let start = 0;
  for (let i = 0; i < groups; i++) {
    const size = Math.floor(stacks.length / groups) + (i < stacks.length % groups ? 1 : 0);
    shards.push(stacks.slice(start, start + size));
    start += size;
  }
  return shards;
}
