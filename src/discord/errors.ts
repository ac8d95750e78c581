/**
 * From discord.js errors to Temporal failures.
 *
 * Activities throw what this module returns, so the retry decision is Temporal's and is
 * visible in the Web UI: permanent failures are non-retryable with a `type` that names them
 * (retrying a 403 blindly counts toward Discord's invalid-request ban), transient ones
 * are retryable, and a 429 carries Discord's Retry-After as `nextRetryDelay`.
 *
 * A 401 is the exception among the 4xx: it says nothing about the request, only that this
 * process's token is bad, and the worker stops polling the Discord task queue on it (see
 * rest-client.ts and worker.ts). So it is retryable: the attempt runs again on a worker with
 * a good token (after a fix and a restart), instead of losing the DM. No blind retries
 * follow: the stopped worker takes no more tasks, and discord.js has dropped the token, so
 * any call still in flight here fails locally without reaching Discord.
 *
 * Secrets never cross this boundary: discord.js errors keep the request body (message
 * contents) in `requestBody`, which is never read here, and the original error is not
 * attached as `cause` (the failure converter would serialise it). Messages carry the status,
 * Discord's code and message, the method and the path (ids only), nothing else.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';

/** Failure types, for `nonRetryableErrorTypes`, tests and the Web UI. */
export const DiscordFailureType = {
  Unauthorized: 'DiscordUnauthorized',
  Forbidden: 'DiscordForbidden',
  NotFound: 'DiscordNotFound',
  InvalidRequest: 'DiscordInvalidRequest',
  Rejected: 'DiscordRequestRejected',
  RateLimited: 'DiscordRateLimited',
  ServerError: 'DiscordServerError',
  Timeout: 'DiscordTimeout',
  NetworkError: 'DiscordNetworkError',
  Unexpected: 'DiscordUnexpectedError',
  GuildUnreachable: 'GuildUnreachable',
} as const;

/** When a 429 comes without a usable Retry-After: discord.js would spin; we wait this long. */
const FALLBACK_RATE_LIMIT_DELAY_MS = 1_000;
/** 40003 "opening DMs too fast" has no Retry-After; this is long enough for the DM bucket. */
const OPENING_DMS_TOO_FAST_DELAY_MS = 10_000;

const NOT_FOUND_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.UnknownMember,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownRole,
  RESTJSONErrorCodes.UnknownUser,
]);
const FORBIDDEN_CODES = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Maps any error thrown by a Discord call to the failure an activity should throw. */
export function toActivityFailure(error: unknown): Error {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof RateLimitError) return fromRateLimit(error);
  if (error instanceof DiscordAPIError) return fromDiscordApiError(error);
  if (error instanceof HTTPError) {
    return ApplicationFailure.create({
      type: DiscordFailureType.ServerError,
      message: `Discord answered ${error.status} on ${describeRequest(error.method, error.url)}`,
      details: [{ status: error.status, method: error.method, path: pathOf(error.url) }],
    });
  }
  if (error instanceof Error) return fromThrownError(error);
  return ApplicationFailure.create({
    type: DiscordFailureType.Unexpected,
    message: `Discord call failed with a non-error value (${typeof error})`,
  });
}

/** True for Discord's "Unknown …" answers, e.g. to tell "not a member" from an outage. */
export function isDiscordCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof DiscordAPIError && typeof error.code === 'number' && codes.includes(error.code);
}

function fromRateLimit(error: RateLimitError): ApplicationFailure {
  const delayMs = error.retryAfter > 0 ? Math.ceil(error.retryAfter) : FALLBACK_RATE_LIMIT_DELAY_MS;
  return ApplicationFailure.create({
    type: DiscordFailureType.RateLimited,
    message: `Discord rate limit (${error.global ? 'global' : `route ${error.route}`}, scope ${error.scope}): retry in ${delayMs} ms`,
    nextRetryDelay: delayMs,
    details: [{ global: error.global, route: error.route, scope: error.scope, retryAfterMs: delayMs }],
  });
}

function fromDiscordApiError(error: DiscordAPIError): ApplicationFailure {
  const code = typeof error.code === 'number' ? error.code : undefined;
  const where = describeRequest(error.method, error.url);
  const details = [{ status: error.status, code, method: error.method, path: pathOf(error.url) }];
  // Discord's own message, never the flattened `errors` tree (discord.js appends it to
  // `message`); for 50035 only the tree's keys and error codes are reported below.
  const discordMessage = topLevelMessage(error);
  const describe = (what: string) => `${what}: ${discordMessage} (${code ?? error.code}) on ${where}`;

  if (error.status === 401) {
    return ApplicationFailure.create({
      type: DiscordFailureType.Unauthorized,
      message: describe('Discord rejected the bot token (401); retried on a worker with a valid token'),
      details,
    });
  }
  if (code === RESTJSONErrorCodes.OpeningDirectMessagesTooFast || error.status === 429) {
    const delayMs = retryAfterFromBody(error) ?? OPENING_DMS_TOO_FAST_DELAY_MS;
    return ApplicationFailure.create({
      type: DiscordFailureType.RateLimited,
      message: describe(`Discord asked to slow down, retry in ${delayMs} ms`),
      nextRetryDelay: delayMs,
      details,
    });
  }
  if (code === RESTJSONErrorCodes.InvalidFormBodyOrContentType) {
    const fields = invalidFormFields(error.rawError);
    return ApplicationFailure.create({
      type: DiscordFailureType.InvalidRequest,
      nonRetryable: true,
      message: `Discord rejected the request body (50035) on ${where}${fields.length ? `: ${fields.join(', ')}` : ''}`,
      details: [{ ...details[0], fields }],
    });
  }
  if ((code !== undefined && NOT_FOUND_CODES.has(code)) || error.status === 404) {
    return ApplicationFailure.create({
      type: DiscordFailureType.NotFound,
      nonRetryable: true,
      message: describe('Discord resource not found'),
      details,
    });
  }
  if ((code !== undefined && FORBIDDEN_CODES.has(code)) || error.status === 403) {
    return ApplicationFailure.create({
      type: DiscordFailureType.Forbidden,
      nonRetryable: true,
      message: describe('Discord refused the request'),
      details,
    });
  }
  if (error.status >= 500) {
    return ApplicationFailure.create({
      type: DiscordFailureType.ServerError,
      message: describe(`Discord answered ${error.status}`),
      details,
    });
  }
  // Any other 4xx: the same request would be refused again, so retrying only burns invalid requests.
  return ApplicationFailure.create({
    type: DiscordFailureType.Rejected,
    nonRetryable: true,
    message: describe(`Discord rejected the request (${error.status})`),
    details,
  });
}

function fromThrownError(error: Error): ApplicationFailure {
  // discord.js aborts a request on its timeout (AbortError, or a TimeoutError on some runtimes).
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return ApplicationFailure.create({
      type: DiscordFailureType.Timeout,
      message: 'Discord request timed out',
    });
  }
  // After a 401, discord.js forgets the token and every later call fails locally with this:
  // retryable like the 401 itself, since a worker with a good token can do the work.
  if (/Expected token to be set/i.test(error.message)) {
    return ApplicationFailure.create({
      type: DiscordFailureType.Unauthorized,
      message: 'No valid Discord token in this worker (it was rejected earlier with 401)',
    });
  }
  const networkCode = findNetworkCode(error);
  if (networkCode !== undefined) {
    return ApplicationFailure.create({
      type: DiscordFailureType.NetworkError,
      message: `Network error talking to Discord (${networkCode})`,
      details: [{ code: networkCode }],
    });
  }
  return ApplicationFailure.create({
    type: DiscordFailureType.Unexpected,
    message: `Discord call failed: ${error.name}: ${redact(error.message)}`,
  });
}

/** undici wraps socket errors: `TypeError: fetch failed` with the system error as `cause`. */
function findNetworkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') break;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return code;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string') {
      const inMessage = [...RETRYABLE_NETWORK_CODES].find((c) => message.includes(c));
      if (inMessage) return inMessage;
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof TypeError && /fetch failed|terminated|other side closed/i.test(error.message)) {
    return 'FETCH_FAILED';
  }
  return undefined;
}

function topLevelMessage(error: DiscordAPIError): string {
  const raw = error.rawError as { message?: unknown; error_description?: unknown };
  if (typeof raw.message === 'string') return redact(raw.message);
  if (typeof raw.error_description === 'string') return redact(raw.error_description);
  return 'Unknown error';
}

function retryAfterFromBody(error: DiscordAPIError): number | undefined {
  const seconds = (error.rawError as { retry_after?: unknown }).retry_after;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds * 1000) : undefined;
}

/**
 * The keys of a 50035 `errors` tree with their error codes, e.g.
 * `embeds[0].description: BASE_TYPE_MAX_LENGTH`. Discord's messages there do not quote the
 * submitted values, but codes are enough and certainly free of user content.
 */
export function invalidFormFields(rawError: unknown): string[] {
  const tree = (rawError as { errors?: unknown }).errors;
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object' || out.length >= 20) return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record._errors)) {
      const codes = record._errors
        .map((e) => (e as { code?: unknown }).code)
        .filter((c): c is string => typeof c === 'string');
      out.push(`${path || '(body)'}: ${codes.join('|') || 'invalid'}`);
      return;
    }
    for (const [key, child] of Object.entries(record)) {
      const next = /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      walk(child, next);
    }
  };
  walk(tree, '');
  return out;
}

function describeRequest(method: string, url: string): string {
  return `${method.toUpperCase()} ${pathOf(url)}`;
}

/** The path only (no host, no query): ids, never tokens or bodies. */
function pathOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return '(unknown path)';
  }
}

/** Removes anything shaped like a bot token from free text, and keeps it short. */
export function redact(text: string): string {
  return text
    .replace(/[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}/g, '[redacted-token]')
    .replace(/(Bot|Bearer)\s+\S+/g, '$1 [redacted]')
    .slice(0, 300);
}
