/**
 * Runs `work` on every item with at most `limit` runs in flight: parallel, without
 * starting thousands of requests at once. Every item is tried even when some fail; the
 * failures are then thrown together, so a caller that is retried tries them all again.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} of ${items.length} failed: ${String((failures[0] as Error)?.message ?? failures[0])}`);
}
