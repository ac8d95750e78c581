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
 *
 * A 401 (token revoked or wrong) is not a failure of one request but of the process: on it
 * discord.js forgets the token, and every later call fails locally until a restart. So the
 * client tells its owner once, through `onUnauthorized`, and the worker stops taking Discord
 * work (see worker.ts); the request itself still fails as usual (errors.ts: retryable, so it
 * runs again on a worker whose token is good). test/discord/rest-client-unauthorized.test.ts.
 */
import {
  DefaultRestOptions,
  DiscordAPIError,
  REST,
  RESTEvents,
  type InternalRequest,
  type RateLimitData,
  type ResponseLike,
  type RESTOptions,
} from 'discord.js';

export interface RestClientOptions {
  /** Absent for the rate-budget proxy, which passes each worker's own Authorization header on. */
  token?: string;
  /** Base API URL, e.g. `https://discord.com/api` or the emulator's `http://127.0.0.1:8787/api`. */
  apiUrl: string;
  /** Per-request timeout (ms). A timeout surfaces as a retryable failure. */
  timeoutMs?: number;
  /**
   * This process's share of Discord's global limit (50/s per bot). Lower it when several
   * workers share one bot token, or cap them all with the task queue's rate limit instead.
   */
  globalRequestsPerSecond?: number;
  /**
   * Called once, on the first 401 Discord answers to a request made with the bot token.
   * Synchronous and must not throw: it runs inside the failing request.
   */
  onUnauthorized?: () => void;
  /** Awaited just before each request goes out on the network (the rate-budget proxy's gate). */
  beforeSend?: () => Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

export function createRestClient(options: RestClientOptions): REST {
  // Data objects that discord.js announced as a pre-emptive wait; a WeakSet, so nothing leaks.
  const preemptiveWaits = new WeakSet<RateLimitData>();

  const rest = new AuthWatchingRest(options.onUnauthorized, {
    api: options.apiUrl,
    version: '10',
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: 0,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? DISCORD_GLOBAL_REQUESTS_PER_SECOND,
    rejectOnRateLimit: (data) => !preemptiveWaits.has(data),
    ...(options.beforeSend && {
      makeRequest: async (url: string, init: RequestInit) => {
        await options.beforeSend!();
        return DefaultRestOptions.makeRequest(url, init);
      },
    }),
  });
  rest.on(RESTEvents.RateLimited, (data) => {
    preemptiveWaits.add(data);
  });
  return options.token === undefined ? rest : rest.setToken(options.token);
}

/**
 * Every request of discord.js's REST (get, post, request, raw) goes through `queueRequest`,
 * so watching its failures sees each 401, whichever handler (sequential, burst) made it.
 */
class AuthWatchingRest extends REST {
  private unauthorizedReported = false;

  constructor(
    private readonly onUnauthorized: (() => void) | undefined,
    options: Partial<RESTOptions>,
  ) {
    super(options);
  }

  override async queueRequest(request: InternalRequest): Promise<ResponseLike> {
    try {
      return await super.queueRequest(request);
    } catch (error) {
      // `auth: false` requests (webhooks, interactions) carry no bot token: their 401 says nothing about it.
      if (error instanceof DiscordAPIError && error.status === 401 && request.auth !== false) {
        this.reportUnauthorized();
      }
      throw error;
    }
  }

  private reportUnauthorized(): void {
    if (this.unauthorizedReported) return;
    this.unauthorizedReported = true;
    try {
      this.onUnauthorized?.();
    } catch {
      // The hook's failure must not replace the request's own error, which the activity reports.
    }
  }
}
