// Discord's rate limits: a global limit per token and per-route buckets keyed by route + major
// parameter. Both use windows that open at the first request after the previous one expired,
// which is exactly what discord.js assumes: it starts its own 1 s global window when it sends the
// first request of a window and learns route buckets from X-RateLimit-Reset-After, so a client
// that honours its own accounting never meets a 429 here.
import { createHash } from 'node:crypto';

export interface BucketConfig {
  limit: number;
  windowMs: number;
}

interface Window {
  resetAt: number;
  count: number;
}

export interface BucketState {
  hash: string;
  limit: number;
  remaining: number;
  resetAt: number;
  allowed: boolean;
}

/** A fixed window per key that opens at the first request after the previous window closed. */
class Windows {
  private readonly windows = new Map<string, Window>();

  take(key: string, limit: number, windowMs: number, now: number): Window & { allowed: boolean } {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { resetAt: now + windowMs, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= limit) return { ...w, allowed: false };
    w.count++;
    return { ...w, allowed: true };
  }

  clear(): void {
    this.windows.clear();
  }

  /** Drop expired windows so a long run with many channels does not grow without bound. */
  sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}

export class GlobalLimiter {
  private readonly windows = new Windows();

  constructor(public perSecond: number) {}

  /** Consumes one request of the token's global budget; returns retry-after ms when over it. */
  take(token: string, now: number): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const w = this.windows.take(token, this.perSecond, 1000, now);
    return w.allowed ? { allowed: true } : { allowed: false, retryAfterMs: w.resetAt - now };
  }

  reset(): void {
    this.windows.clear();
  }
}

export class RouteBuckets {
  private readonly windows = new Windows();
  private taken = 0;

  /** `route` is "METHOD /template"; the bucket hash is opaque and excludes the major parameter. */
  take(route: string, majorParameter: string, config: BucketConfig, now: number): BucketState {
    if (++this.taken % 10_000 === 0) this.windows.sweep(now);
    const hash = bucketHash(route);
    const w = this.windows.take(`${hash}:${majorParameter}`, config.limit, config.windowMs, now);
    return {
      hash,
      limit: config.limit,
      remaining: config.limit - w.count,
      resetAt: w.resetAt,
      allowed: w.allowed,
    };
  }

  reset(): void {
    this.windows.clear();
  }
}

/** A hidden limit (no headers), as Discord's anti-spam limit on opening DMs is. */
export class HiddenLimit {
  private readonly windows = new Windows();

  constructor(public config: BucketConfig | null) {}

  take(key: string, now: number): boolean {
    if (!this.config) return true;
    return this.windows.take(key, this.config.limit, this.config.windowMs, now).allowed;
  }

  reset(): void {
    this.windows.clear();
  }
}

export function bucketHash(route: string): string {
  return createHash('sha256').update(`emulator:${route}`).digest('hex').slice(0, 32);
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** The X-RateLimit-* headers Discord sends on every response of a rate-limited route. */
export function bucketHeaders(state: BucketState, now: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(Math.max(0, state.remaining)),
    'X-RateLimit-Reset': seconds(state.resetAt),
    'X-RateLimit-Reset-After': seconds(state.resetAt - now),
    'X-RateLimit-Bucket': state.hash,
  };
}

export type RateLimitScope = 'user' | 'global' | 'shared';

/** A 429 as Discord sends it: body in seconds (float), Retry-After header in whole seconds rounded up
 * (never 0: discord.js retries a 429 with no wait in a tight loop). */
export function tooManyRequests(
  retryAfterMs: number,
  scope: RateLimitScope,
  global: boolean,
): { headers: Record<string, string>; body: { message: string; retry_after: number; global: boolean } } {
  const retryAfter = Math.max(0, Math.round(retryAfterMs)) / 1000;
  const headers: Record<string, string> = {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfter))),
    'X-RateLimit-Scope': scope,
  };
  if (global) headers['X-RateLimit-Global'] = 'true';
  const message = scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.';
  return { headers, body: { message, retry_after: retryAfter, global } };
}
