/** Small helpers that keep an activity's work and output bounded. */

/** Temporal limits a search attribute value to 2 KB by default: list what fits, the `status` query has the rest. */
export const SEARCH_ATTRIBUTE_BYTES = 1800;

/** The first names whose total size stays within `maxBytes`. */
export function namesWithin(names: string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const name of names) {
    bytes += Buffer.byteLength(name) + 4;
    if (bytes > maxBytes) break;
    kept.push(name);
  }
  return kept;
}

/** Runs `fn` over the items, at most `limit` at a time. */
export async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
