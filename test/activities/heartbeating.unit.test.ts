/**
 * Unit tests (the SDK's mock activity context, fake timers): activities heartbeat every
 * HEARTBEAT_EVERY_MS while they run, except when run as local activities, which cannot.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeating, HEARTBEAT_EVERY_MS } from '../../src/activities/bounded';

afterEach(() => {
  vi.useRealTimers();
});

async function beatsOver(isLocal: boolean, periods: number): Promise<number> {
  vi.useFakeTimers();
  let finish = (): void => undefined;
  const { work } = heartbeating({
    work: () => new Promise<void>((resolve) => (finish = resolve)),
  });
  const env = new MockActivityEnvironment({ isLocal });
  let beats = 0;
  env.on('heartbeat', () => (beats += 1));
  const running = env.run(work);
  await vi.advanceTimersByTimeAsync(periods * HEARTBEAT_EVERY_MS);
  finish();
  await running;
  // Nothing after the activity ended.
  await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_EVERY_MS);
  return beats;
}

describe('heartbeating activities (unit, mock activity context)', () => {
  it('heartbeat every period while they run, and stop when they end', async () => {
    expect(await beatsOver(false, 3)).toBe(3);
  });

  it('do not heartbeat as local activities', async () => {
    expect(await beatsOver(true, 3)).toBe(0);
  });
});
