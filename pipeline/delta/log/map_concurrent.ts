/**
 * Bounded concurrency for IO fan-out (reading many commits or files from S3 without opening thousands of
 * requests at once).
 *
 * @module
 */

/**
 * Maps `items` with at most `limit` calls of `fn` in flight; results keep the input order. The first rejection
 * rejects the whole call (calls already running finish in the background and their results are dropped).
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
