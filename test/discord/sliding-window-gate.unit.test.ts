import { describe, expect, it } from 'vitest';
import { SlidingWindowGate } from '../../src/discord/sliding-window-gate';

describe('SlidingWindowGate (unit, real clock)', () => {
  it('lets at most `limit` through in any window, in order, and no slower than that', async () => {
    const gate = new SlidingWindowGate(3, 200);
    const started = Date.now();
    const times: number[] = [];
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        gate.acquire().then(() => {
          times.push(Date.now() - started);
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Any 4 consecutive sends span at least a window: never 4 within 200 ms.
    for (let i = 3; i < times.length; i++) expect(times[i]! - times[i - 3]!).toBeGreaterThanOrEqual(199);
    // Three windows of three, not more: the last send goes out after about 400 ms.
    expect(times[8]!).toBeLessThan(600);
  });

  it('does not hold a send when the window has room', async () => {
    const gate = new SlidingWindowGate(50, 1000);
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => gate.acquire()));
    expect(Date.now() - started).toBeLessThan(100);
  });
});
