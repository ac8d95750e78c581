/** Small helpers that keep an activity's work and output bounded. */
import { Context } from '@temporalio/activity';

/** Temporal limits a search attribute value to 2 KB by default: list what fits, the `status` query has the rest. */
export const SEARCH_ATTRIBUTE_BYTES = 1800;

/** Command names a grace workflow lists for the Web UI (the search attribute and its input). */
export const LISTED_NAMES = 100;

/** The first LISTED_NAMES names, as many of them as fit the search attribute. */
export function listedNames(names: string[]): string[] {
  return namesWithin(names.slice(0, LISTED_NAMES), SEARCH_ATTRIBUTE_BYTES);
}

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

/** How often `heartbeating` activities say they are alive (their heartbeat timeout is a few times this). */
export const HEARTBEAT_EVERY_MS = 5_000;

type ActivityFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The activities, each heartbeating while it runs: a worker killed mid-activity is
 * noticed at the heartbeat timeout (seconds) instead of the start-to-close timeout
 * (minutes), so a crash never stalls a run. Activities named in `except` heartbeat
 * themselves, with progress details a blank heartbeat would overwrite.
 */
export function heartbeating<T extends ActivityFunctions>(activities: T, except: (keyof T)[] = []): T {
  const wrapped = Object.entries(activities).map(([name, fn]) => {
    if (except.includes(name)) return [name, fn];
    const withHeartbeat = async (...args: never[]) => {
      const context = Context.current();
      // A local activity has no heartbeat (its workflow task keeps it alive): the SDK warns on each.
      if (context.info.isLocal) return fn(...args);
      const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await fn(...args);
      } finally {
        clearInterval(timer);
      }
    };
    return [name, withHeartbeat];
  });
  return Object.fromEntries(wrapped) as T;
}
