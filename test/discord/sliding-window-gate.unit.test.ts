import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindowGate } from '../../src/discord/sliding-window-gate';

// Fake timers: the gate's clock and timers are vitest's, so the instants are exact and a
// busy machine cannot make the test late.
describe('SlidingWindowGate (unit, fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Starts `count` acquires at once; the instant (ms after the start) each one passed. */
  function acquireAll(gate: SlidingWindowGate, count: number): { times: number[]; order: number[] } {
    const started = Date.now();
    const times: number[] = [];
    const order: number[] = [];
    for (let i = 0; i < count; i++) {
      void gate.acquire().then(() => {
        times.push(Date.now() - started);
        order.push(i);
      });
    }
    return { times, order };
  }

  it('lets at most `limit` through in any window, in order, and no slower than that', async () => {
    const { times, order } = acquireAll(new SlidingWindowGate(3, 200), 9);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Three windows of three: each window's sends the instant the previous one's first left it.
    expect(times).toEqual([0, 0, 0, 200, 200, 200, 400, 400, 400]);
  });

  it('does not hold a send when the window has room', async () => {
    const { times } = acquireAll(new SlidingWindowGate(50, 1000), 50);
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toEqual(Array.from({ length: 50 }, () => 0));
  });
});
