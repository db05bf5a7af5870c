/**
 * Runs `work` on every item, at most `lanes` at a time, each lane taking the next item when it is
 * done (items start in order, so put the longest first). Resolves when all are done; the first
 * rejection rejects it (callers that must not stop guard their own work).
 */
export async function runInLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
}
