// Request accounting for the control API: totals, per route, statuses, 429s, invalid requests
// (401/403/429 except shared-scope 429s, as Discord counts them) in a sliding 10-minute window,
// and the peak request rate.
//
// Peak rate is measured two ways over request arrival times:
// - `peakRequestsPerSecond`: the most requests in any sliding 1000 ms interval (strict);
// - `peakRequestsPerWindow`: the most requests in one 1 s window opened by the first request after
//   the previous window closed, i.e. the windows the global limiter (and discord.js) count in.

const INVALID_WINDOW_MS = 10 * 60 * 1000;
export const INVALID_REQUEST_LIMIT = 10_000;

export interface CountersSnapshot {
  requestsTotal: number;
  perRoute: Record<string, number>;
  perStatus: Record<string, number>;
  rateLimited: { total: number; global: number; route: number; injected: number };
  invalidRequests: { inWindow: number; windowMs: number; limit: number };
  peakRequestsPerSecond: number;
  peakRequestsPerWindow: number;
  firstRequestAt: string | null;
  lastRequestAt: string | null;
}

export class Counters {
  private requestsTotal = 0;
  private perRoute: Record<string, number> = {};
  private perStatus: Record<string, number> = {};
  private rateLimited = { total: 0, global: 0, route: 0, injected: 0 };
  private invalid: number[] = [];
  private recent: number[] = [];
  private recentHead = 0;
  private peakSliding = 0;
  private window = { start: -Infinity, count: 0 };
  private peakWindow = 0;
  private first: number | null = null;
  private last: number | null = null;

  reset(): void {
    Object.assign(this, new Counters());
  }

  arrival(route: string, now: number): void {
    this.requestsTotal++;
    this.perRoute[route] = (this.perRoute[route] ?? 0) + 1;
    this.first ??= now;
    this.last = now;

    // Sliding window: keep arrivals of the last second (a queue with a moving head).
    this.recent.push(now);
    while (this.recent[this.recentHead]! <= now - 1000) this.recentHead++;
    if (this.recentHead > 4096) {
      this.recent = this.recent.slice(this.recentHead);
      this.recentHead = 0;
    }
    this.peakSliding = Math.max(this.peakSliding, this.recent.length - this.recentHead);

    if (now >= this.window.start + 1000) this.window = { start: now, count: 0 };
    this.window.count++;
    this.peakWindow = Math.max(this.peakWindow, this.window.count);
  }

  /** `status` is the HTTP status, or 'hang' / 'reset' for injected faults that send none. */
  response(
    status: number | string,
    now: number,
    kind?: 'global' | 'route' | 'injected',
    shared = false,
  ): void {
    this.perStatus[status] = (this.perStatus[status] ?? 0) + 1;
    if (status === 429) {
      this.rateLimited.total++;
      if (kind) this.rateLimited[kind]++;
    }
    if ((status === 401 || status === 403 || status === 429) && !shared) this.invalid.push(now);
  }

  snapshot(now: number): CountersSnapshot {
    const from = now - INVALID_WINDOW_MS;
    const firstInWindow = this.invalid.findIndex((t) => t > from);
    this.invalid = firstInWindow < 0 ? [] : this.invalid.slice(firstInWindow);
    return {
      requestsTotal: this.requestsTotal,
      perRoute: { ...this.perRoute },
      perStatus: { ...this.perStatus },
      rateLimited: { ...this.rateLimited },
      invalidRequests: {
        inWindow: this.invalid.length,
        windowMs: INVALID_WINDOW_MS,
        limit: INVALID_REQUEST_LIMIT,
      },
      peakRequestsPerSecond: this.peakSliding,
      peakRequestsPerWindow: this.peakWindow,
      firstRequestAt: this.first === null ? null : new Date(this.first).toISOString(),
      lastRequestAt: this.last === null ? null : new Date(this.last).toISOString(),
    };
  }
}
