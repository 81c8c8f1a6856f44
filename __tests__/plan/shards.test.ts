import { shardStacks } from "../../lib/plan/shards";

const names = (n: number) => Array.from({ length: n }, (_, i) => `replication-bucket-${String(i).padStart(3, "0")}`);

describe("shards for CI jobs", () => {
  test("fits 300 stacks into 256 jobs of one or two stacks, in order, each stack once", () => {
    const stacks = names(300);
    const shards = shardStacks(stacks, 256);
    expect(shards).toHaveLength(256);
    expect(shards.flat()).toEqual(stacks);
    expect(new Set(shards.map((s) => s.length))).toEqual(new Set([1, 2]));
  });

  test("gives each stack its own job when there are fewer stacks than jobs", () => {
    expect(shardStacks(["a", "b"], 256)).toEqual([["a"], ["b"]]);
  });

  test("balances sizes to within one", () => {
    expect(shardStacks(["a", "b", "c", "d", "e"], 2)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
  });
});
