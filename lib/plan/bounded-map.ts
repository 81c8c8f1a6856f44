/**
 * `Promise.all` over a list with at most `limit` calls in flight. The existing-bucket check of a
 * root of hundreds of buckets must not start every request at once: the AWS SDK queues what its
 * sockets cannot take, and a queued request counts against its connection timeout, so 500 buckets
 * read at once fail with a TimeoutError before the server has seen most of them.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await map(items[index]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
