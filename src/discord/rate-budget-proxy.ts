/**
 * One rate budget per bot token, however many workers: every worker sends its Discord
 * requests through this HTTP proxy (its DISCORD_API_URL points here), and the proxy sends
 * them on through a single discord.js REST client. That client is the only one that counts
 * requests against the global limit and learns the per-route buckets from Discord's
 * headers, so together the workers never exceed either, on one machine or many.
 *
 * The proxy is discord.js's own REST client behind a small HTTP server, set up as the
 * workers' (rest-client.ts): no hidden retries (Temporal retries), pre-emptive waits kept,
 * and a real 429 answered as a 429 with Retry-After, so that the worker's activity retries
 * after that delay, visibly. The worker's Authorization header is passed on: the proxy
 * holds no token and logs none. (`@discordjs/proxy` does the same but answers a 429 with
 * the bucket's reset instead of Retry-After, and an unknown upstream failure with an empty
 * 200, which a worker would take for a sent message.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestMethod } from 'discord.js';
import { DiscordAPIError, HTTPError, RateLimitError, type REST } from 'discord.js';
import { createRestClient } from './rest-client';
import { SlidingWindowGate } from './sliding-window-gate';

/** discord.js's own margin on rate-limit resets (its `offset` option). */
const JITTER_MARGIN_MS = 50;

export interface RateBudgetProxyOptions {
  /** Where requests go: Discord (`https://discord.com/api`) or the emulator's `/api` URL. */
  upstreamApiUrl: string;
  /** The budget of every worker together: Discord allows a bot 50 requests per second. */
  requestsPerSecond: number;
  /** 127.0.0.1 by default: the workers' bot token passes through, keep it on a private network. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  timeoutMs?: number;
}

export interface RateBudgetProxy {
  /** What workers set as DISCORD_API_URL, e.g. `http://127.0.0.1:8780/api`. */
  apiUrl: string;
  close(): Promise<void>;
}

export async function startRateBudgetProxy(options: RateBudgetProxyOptions): Promise<RateBudgetProxy> {
  // Counted when each request goes out, over any second and a margin for the jitter between
  // sending here and arriving there: Discord counts arrivals.
  const perWindow = Math.max(1, Math.floor(options.requestsPerSecond));
  const gate = new SlidingWindowGate(
    perWindow,
    (perWindow / options.requestsPerSecond) * 1000 + JITTER_MARGIN_MS,
  );
  const rest = createRestClient({
    apiUrl: options.upstreamApiUrl,
    globalRequestsPerSecond: options.requestsPerSecond,
    beforeSend: () => gate.acquire(),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  const server = createServer((req, res) => void forward(rest, req, res));
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://${address}:${port}/api`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Headers a worker's request keeps on its way to Discord; the rest is the proxy's client's. */
const FORWARDED_HEADERS = ['authorization', 'content-type', 'x-audit-log-reason'];

async function forward(rest: REST, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    const answer = await rest.queueRequest({
      method: (req.method ?? 'GET') as RequestMethod,
      fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as `/${string}`,
      query: url.searchParams,
      headers,
      // The worker's own Authorization header goes through as it is.
      auth: false,
      body: req,
      passThroughBody: true,
    });
    res.statusCode = answer.status;
    const type = answer.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    answerFailure(res, error);
  }
}

function answerFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof RateLimitError) {
    // Retry-After as Discord said it; the worker turns it into the activity's next retry delay.
    const seconds = Math.max(error.retryAfter, 0) / 1000;
    res.statusCode = 429;
    res.setHeader('retry-after', seconds.toFixed(3));
    if (error.global) res.setHeader('x-ratelimit-global', 'true');
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: error.global }),
    );
  } else if (error instanceof DiscordAPIError) {
    res.statusCode = error.status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(error.rawError));
  } else if (error instanceof HTTPError) {
    res.statusCode = error.status;
    res.end();
  } else {
    // Timeouts, resets, refused connections: the outcome upstream is unknown.
    res.statusCode = error instanceof Error && error.name === 'AbortError' ? 504 : 502;
    res.end();
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
