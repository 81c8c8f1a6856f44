/**
 * The existing-bucket check of a root of hundreds of buckets reads them a few at a time: started
 * all at once, 500 buckets' requests queue behind the SDK's sockets and fail on their connection
 * timeout (measured by `npm run bench:plan` at 500 pairs in one root).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { BucketLocation } from "../../lib/config/model";
import type { ClientsFor } from "../../lib/ops/aws-clients";
import { mapBounded } from "../../lib/plan/bounded-map";
import { readSnapshots } from "../../lib/plan/takeover-check";

/** A call that finishes when the test says, counting how many run at once. */
function gauge() {
  let running = 0;
  let most = 0;
  const started: string[] = [];
  const call = async <T>(name: string, value: T): Promise<T> => {
    started.push(name);
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 1));
    running--;
    return value;
  };
  return { call, started, most: () => most };
}

describe("mapBounded", () => {
  test("keeps the order of the list and never runs more than the limit at once", async () => {
    const g = gauge();
    const items = Array.from({ length: 30 }, (_, i) => i);
    const results = await mapBounded(items, 4, (i) => g.call(String(i), i * 10));
    expect(results).toEqual(items.map((i) => i * 10));
    expect(g.most()).toBe(4);
  });

  test("rejects with the first error, and the other calls in flight start nothing after it", async () => {
    const started: number[] = [];
    const result = mapBounded([1, 2, 3, 4, 5, 6], 2, async (i) => {
      started.push(i);
      if (i === 2) throw new Error("the second failed");
      await new Promise((resolve) => setTimeout(resolve, 5));
      return i;
    });
    await expect(result).rejects.toThrow("the second failed");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toEqual([1, 2]);
  });

  test("an empty list maps to an empty list", async () => {
    await expect(mapBounded([], 8, async () => 1)).resolves.toEqual([]);
  });
});

describe("the existing-bucket check of a root of 500 buckets", () => {
  test("has at most 32 requests in flight (8 buckets), and reads every bucket once", async () => {
    const g = gauge();
    const s3 = {
      send: (command: { constructor: { name: string }; input: { Bucket: string } }) =>
        g.call(`${command.constructor.name} ${command.input.Bucket}`, {}),
    } as unknown as S3Client;
    const clients = (() => ({ s3 })) as unknown as ClientsFor;
    const buckets = Array.from(
      { length: 500 },
      (_, i) =>
        ({ bucket: `bench-src-${i}`, account: { accountId: "111122223333" }, region: "us-east-1" }) as BucketLocation,
    );
    const snapshots = await readSnapshots([...buckets, buckets[0]], clients);
    expect(snapshots.size).toBe(500);
    expect(g.started.filter((s) => s.startsWith("GetBucketVersioningCommand"))).toHaveLength(500);
    expect(g.most()).toBeLessThanOrEqual(32);
    expect(g.most()).toBeGreaterThan(8);
  });
});
