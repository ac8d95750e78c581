/**
 * At most `limit` sends in any `windowMs`, counted when each send actually goes out: a
 * send waits until the oldest of the last `limit` has left the window. Stricter than
 * discord.js's fixed windows (which open at the first request after the previous one
 * closed, so two bursts can meet within one of Discord's windows): the rate-budget proxy
 * uses it so that every worker together stays under the limit however requests arrive.
 */
export class SlidingWindowGate {
  /** Send times of the last `limit` sends, oldest first. */
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  /** Resolves when one more send fits; sends are let through in the order they asked. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      if (this.sent.length >= this.limit) {
        const wait = this.sent[0]! + this.windowMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.sent.shift();
      }
      this.sent.push(Date.now());
    });
    this.queue = turn;
    return turn;
  }
}
