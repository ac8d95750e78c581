/**
 * The one place where discord.js's REST client is configured.
 *
 * Who retries what:
 * - Temporal owns retries of failures (5xx, timeouts, resets, 429s): its retry policies are
 *   declared where activities are proxied and every attempt shows in the Web UI. discord.js
 *   would otherwise retry 5xx and resets on its own, hidden, so `retries: 0`.
 * - discord.js keeps its rate-limit *scheduler*: it counts requests against the global
 *   limit (`globalRequestsPerSecond`) and against each bucket it has learnt from the
 *   `X-RateLimit-*` headers, and queues a request until the bucket or the second resets.
 *   These pre-emptive waits are what lets a worker run close to Discord's 50 requests/s
 *   without ever receiving a 429, so they must never be turned into failures.
 *
 * How an actual 429 surfaces (the decision):
 * discord.js calls `rejectOnRateLimit` both before a pre-emptive wait and after a real 429
 * response, with the same kind of data. The two are told apart by the `rateLimited` event,
 * which discord.js emits synchronously, with the very same data object, just before it asks
 * `rejectOnRateLimit` about a pre-emptive wait, and never for a real 429. So:
 * - pre-emptive waits (event seen): not rejected; discord.js waits, throughput is kept;
 * - real 429 responses (no event): rejected with a `RateLimitError` whose `retryAfter` is
 *   Discord's Retry-After (+ discord.js's small offset). `toActivityFailure` turns it into a
 *   retryable ApplicationFailure with `nextRetryDelay` = Retry-After, so the wait is visible
 *   in the Web UI as an attempt, not a silent sleep inside a call. discord.js has already
 *   recorded the bucket (or the global reset) from that 429, so the other requests of the
 *   process keep queueing pre-emptively instead of joining a 429 storm.
 * This also protects against a 429 without Retry-After, on which discord.js would retry in a
 * tight loop (and each 429 counts toward Discord's invalid-request ban).
 * test/discord/gateway.integration.test.ts checks both halves against the emulator, so a
 * discord.js upgrade that changes this behaviour fails a test instead of production.
 */
import { REST, RESTEvents, type RateLimitData } from 'discord.js';

export interface RestClientOptions {
  token: string;
  /** Base API URL, e.g. `https://discord.com/api` or the emulator's `http://127.0.0.1:8787/api`. */
  apiUrl: string;
  /** Per-request timeout (ms). A timeout surfaces as a retryable failure. */
  timeoutMs?: number;
  /**
   * This process's share of Discord's global limit (50/s per bot). Lower it when several
   * workers share one bot token, or cap them all with the task queue's rate limit instead.
   */
  globalRequestsPerSecond?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

export function createRestClient(options: RestClientOptions): REST {
  // Data objects that discord.js announced as a pre-emptive wait; a WeakSet, so nothing leaks.
  const preemptiveWaits = new WeakSet<RateLimitData>();

  const rest = new REST({
    api: options.apiUrl,
    version: '10',
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: 0,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    rejectOnRateLimit: (data) => !preemptiveWaits.has(data),
  });
  rest.on(RESTEvents.RateLimited, (data) => {
    preemptiveWaits.add(data);
  });
  return rest.setToken(options.token);
}
