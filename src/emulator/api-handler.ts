// The /api/v10 pipeline, in Discord's order as far as a client can observe it: request size,
// route, auth, global limit, (injected faults), route bucket, body, handler. Rate-limit headers go
// on every response of a matched, authorised route, errors included.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordError, Errors } from './errors';
import type { EmulatorState } from './emulator-state';
import type { ActiveFault } from './faults';
import { BodyTooLarge, readBodyBytes, sendJson } from './http';
import { bucketHeaders, tooManyRequests } from './rate-limits';
import { decodeBody, MAX_REQUEST_BYTES } from './request-body';
import { matchRoute, routeKey } from './routes';

/** Requests held by 'hang' faults, so close() can end them instead of waiting for their timers. */
export class HeldRequests {
  private readonly held = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();

  hold(res: ServerResponse, ms: number): void {
    const entry = { timer: setTimeout(() => this.release(entry), ms), res };
    this.held.add(entry);
    res.on('close', () => {
      clearTimeout(entry.timer);
      this.held.delete(entry);
    });
  }

  private release(entry: { timer: NodeJS.Timeout; res: ServerResponse }): void {
    clearTimeout(entry.timer);
    this.held.delete(entry);
    entry.res.socket?.destroy();
  }

  releaseAll(): void {
    for (const entry of [...this.held]) this.release(entry);
  }
}

export async function handleApi(
  state: EmulatorState,
  held: HeldRequests,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  let now = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const segments = decodeSegments(url.pathname);
  const match = segments ? matchRoute(method, segments) : null;
  const routeName =
    match && !(match instanceof DiscordError) ? routeKey(match.route) : `${method} (no route)`;
  state.counters.arrival(routeName, now);
  let rawBody: Buffer | null = null;
  try {
    rawBody = await readBodyBytes(req, MAX_REQUEST_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
  }

  const reply = (
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    kind?: 'global' | 'route' | 'injected',
    shared = false,
  ) => {
    state.counters.response(status, Date.now(), kind, shared);
    sendJson(res, status, body, headers);
  };

  // Over Discord's 25 MiB request limit: refused before anything else looks at the request.
  if (rawBody === null) return reply(413, Errors.requestEntityTooLarge());
  if (match instanceof DiscordError) return reply(match.status, match);
  if (!segments || !match) return reply(404, Errors.notFound());

  const token = state.world.token;
  if (req.headers.authorization !== `Bot ${token}`) return reply(401, Errors.unauthorized());

  const global = state.global.take(token, now);
  if (!global.allowed) {
    const limited = tooManyRequests(global.retryAfterMs, 'global', true);
    return reply(429, limited.body, limited.headers, 'global');
  }

  let fault = state.faults.take(method, segments);
  if (fault?.kind === 'delay') {
    // A slow answer, not a failure: the request is then carried out (also if its client gave
    // up meanwhile, as a server would) and its route bucket counts it when the delay ends.
    // The timer does not hold the process open: closing the emulator ends the connection.
    await new Promise((resolve) => setTimeout(resolve, fault!.delayMs).unref());
    fault = undefined;
    now = Date.now();
  }
  if (fault?.when === 'before') return injectFault(state, held, fault, req, res, reply);

  const { route, params } = match;
  const key = routeKey(route);
  const bucketConfig = state.config.routeLimits[key] ?? state.config.defaultRouteLimit;
  const bucket = state.buckets.take(key, (route.major && params[route.major]) || 'global', bucketConfig, now);
  const headers = bucketHeaders(bucket, now);
  if (!bucket.allowed) {
    const limited = tooManyRequests(bucket.resetAt - now, 'user', false);
    return reply(429, limited.body, { ...headers, ...limited.headers }, 'route');
  }

  let status: number;
  let result: unknown;
  try {
    const { json, files } = await decodeBody(
      rawBody,
      req.headers['content-type'],
      state.config.maxUploadBytes,
    );
    result = route.handler({
      world: state.world,
      config: state.config,
      nonces: state.nonces,
      dmOpenLimit: state.dmOpenLimit,
      params,
      query: url.searchParams,
      body: json,
      files,
      baseUrl: state.baseUrl,
      now: Date.now(),
    });
    status = 200;
  } catch (error) {
    if (!(error instanceof DiscordError)) throw error;
    [status, result] = [error.status, error];
  }
  if (fault) return injectFault(state, held, fault, req, res, reply);
  reply(status, result, headers);
}

function injectFault(
  state: EmulatorState,
  held: HeldRequests,
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  reply: (
    status: number,
    body: unknown,
    headers?: Record<string, string>,
    kind?: 'injected',
    shared?: boolean,
  ) => void,
): void {
  switch (fault.kind) {
    case 'error':
      return reply(fault.status, { message: `${fault.status}: ${statusText(fault.status)}`, code: 0 });
    case 'rate-limit': {
      const limited = tooManyRequests(fault.retryAfter * 1000, fault.scope, fault.global);
      return reply(429, limited.body, limited.headers, 'injected', fault.scope === 'shared');
    }
    case 'reset':
      // An RST, not a FIN: discord.js retries ECONNRESET but not "other side closed".
      state.counters.response('reset', Date.now());
      req.socket.resetAndDestroy();
      return;
    case 'hang':
      state.counters.response('hang', Date.now());
      held.hold(res, fault.hangMs);
      return;
    case 'delay':
      return; // carried out by the caller
  }
}

function statusText(status: number): string {
  return (
    { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[
      status
    ] ?? 'Server Error'
  );
}

/** Splits and percent-decodes the path after /api/v10, as Discord does (discord.js sends /users/%40me). */
function decodeSegments(pathname: string): string[] | null {
  const m = /^\/api\/v10(\/.*)?$/.exec(pathname);
  if (!m) return null;
  try {
    return (m[1] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}
