// Discord's OpenAPI spec (the discord-api-spec package: its TypeScript `Paths` and its Zod
// schemas) for the routes the emulator answers, and a validator that reports both what breaks a
// schema and what a body has that the spec does not know of.
//
// Where Discord's docs and the spec disagree, the tests follow the docs; each place says so here:
// - 429 bodies: the spec's RatelimitedResponse requires `code`; the docs' "Rate Limit Response
//   Structure" has `code?` ("for some limits") and none of their three 429 examples has one
//   (docs/topics/rate-limits.md). The emulator sends no code; `rateLimitedBody` adds a
//   placeholder before the spec's schema sees the body, and nothing else is relaxed.
// - `attachments[].id` of a message create: the spec types it as a snowflake string; the docs'
//   "Uploading Files" example sends `"id": 0`, the index n of the `files[n]` part, and so does the
//   product (src/discord/message-request.ts). `withStringAttachmentIds` turns integer ids into
//   strings before the spec's schema sees them, and the test checks they are such indexes.
// - `errors` of a 400 (Invalid Form Body): the spec's InnerErrors lists `Error`s, whose `code` is
//   an integer; the docs' "Error Messages" examples have `_errors` of `{"code":
//   "BASE_TYPE_REQUIRED", "message": ...}`, string codes (docs/reference.md). `errorBodyForSpec`
//   checks each `_errors` entry has the docs' shape, then gives the spec's schema a number.
// - `content` of a message create: the spec allows 4000 characters; the docs say "up to 2000
//   characters" (the 4000 are Nitro users'; a bot has 2000). The emulator answers 50035 past 2000
//   and the request test checks the product's content against 2000.
//
// Not a disagreement but the package's Zod translation: the spec's `format: date-time` is RFC
// 3339, offsets allowed, and Discord writes timestamps as `2024-01-01T00:00:00.000000+00:00`; the
// generated `z.iso.datetime()` takes only `Z`. `conformance` rewrites such timestamps to UTC `Z`
// before the schema sees them; a malformed timestamp still fails.
import type { Paths, ErrorResponse, RatelimitedResponse } from 'discord-api-spec';
import { pathsList } from 'discord-api-spec';
import {
  ErrorResponseSchema,
  GuildChannelResponseSchema,
  GuildMemberResponseSchema,
  GuildRoleResponseSchema,
  GuildWithCountsResponseSchema,
  MessageResponseSchema,
  MyGuildResponseSchema,
  PrivateChannelResponseSchema,
  PrivateGroupChannelResponseSchema,
  RatelimitedResponseSchema,
  ThreadResponseSchema,
  UserPIIResponseSchema,
  UserResponseSchema,
} from 'discord-api-spec/zod';
import { z, type ZodMiniType } from 'zod/mini';

type Method = 'get' | 'post';
type ResponsesOf<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends { responses: infer R }
  ? R
  : never;
/** The spec's 200 body of a path and method; never if it declares no 200 or not Discord's error bodies. */
type SuccessOf<P extends keyof Paths, M extends keyof Paths[P]> =
  ResponsesOf<P, M> extends { '200': infer T; '429': RatelimitedResponse; '4XX': ErrorResponse } ? T : never;

export interface RouteContract {
  /** The spec's path, e.g. `/channels/{channel_id}/messages`. */
  path: string;
  method: Method;
  /** The 200 body's schema. */
  ok: ZodMiniType;
  /**
   * Keys a 200 body may have that the spec does not list (`$` is the body, `[]` any element), each
   * with the reason the emulator keeps it. Any other key unknown to the spec fails the test.
   */
  extraKeys?: Record<string, string>;
}

/**
 * A route's contract. The schema must be one of the spec's 200 type for that path and method
 * (checked by the compiler through `Paths`), and the operation must answer 429 with
 * RatelimitedResponse and 4XX with ErrorResponse.
 */
function contract<P extends keyof Paths, M extends keyof Paths[P] & Method>(
  path: P,
  method: M,
  ok: ZodMiniType<SuccessOf<P, M>>,
  extraKeys?: Record<string, string>,
): RouteContract {
  return { path, method, ok, ...(extraKeys ? { extraKeys } : {}) };
}

/** Every route of the emulator's table (src/emulator/routes.ts), by its route key. */
export const ROUTE_CONTRACTS: Record<string, RouteContract> = {
  'GET /users/@me': contract('/users/@me', 'get', UserPIIResponseSchema),
  'GET /users/@me/guilds': contract('/users/@me/guilds', 'get', z.array(MyGuildResponseSchema)),
  // A bot opens DMs (type 1), never group DMs: the narrower of the spec's two answers.
  'POST /users/@me/channels': contract('/users/@me/channels', 'post', PrivateChannelResponseSchema),
  'GET /users/:user_id': contract('/users/{user_id}', 'get', UserResponseSchema),
  'POST /channels/:channel_id/messages': contract(
    '/channels/{channel_id}/messages',
    'post',
    MessageResponseSchema,
  ),
  'GET /channels/:channel_id/messages': contract(
    '/channels/{channel_id}/messages',
    'get',
    z.array(MessageResponseSchema),
  ),
  'GET /guilds/:guild_id': contract('/guilds/{guild_id}', 'get', GuildWithCountsResponseSchema, {
    '$.hub_type':
      "Discord's guild objects carry it (null outside Student Hubs) and discord.js's APIGuild type requires it; the spec omits it",
  }),
  'GET /guilds/:guild_id/channels': contract(
    '/guilds/{guild_id}/channels',
    'get',
    z.array(
      z.union([
        GuildChannelResponseSchema,
        PrivateChannelResponseSchema,
        PrivateGroupChannelResponseSchema,
        ThreadResponseSchema,
      ]),
    ),
  ),
  'GET /guilds/:guild_id/roles': contract(
    '/guilds/{guild_id}/roles',
    'get',
    z.array(GuildRoleResponseSchema),
  ),
  'GET /guilds/:guild_id/members/:user_id': contract(
    '/guilds/{guild_id}/members/{user_id}',
    'get',
    GuildMemberResponseSchema,
  ),
};

/** `/channels/:channel_id/messages` → `/channels/{channel_id}/messages`. */
export const toSpecPath = (template: string): string => template.replace(/:(\w+)/g, '{$1}');

/** Whether the spec has this operation at all (its list of paths per method). */
export function specHasOperation(method: Method, path: string): boolean {
  return (pathsList[method] as readonly string[]).includes(path);
}

/**
 * The schema the spec gives for a status of any emulated route: 200 the route's own, 429
 * RatelimitedResponse, any other 4xx ErrorResponse. The spec declares no 5xx answer.
 */
export function responseSchema(route: RouteContract, status: number): ZodMiniType {
  if (status === 200) return route.ok;
  if (status === 429) return RatelimitedResponseSchema;
  if (status >= 400 && status < 500) return ErrorResponseSchema;
  throw new Error(`the spec declares no ${status} answer for ${route.method} ${route.path}`);
}

/** A 429 body as the spec's schema should see it: the docs make `code` optional (top of file). */
export function rateLimitedBody(body: unknown): unknown {
  return isObject(body) && !('code' in body) ? { ...body, code: 0 } : body;
}

/**
 * A 4xx body as the spec's schema should see it: every `_errors` entry in `errors` must have the
 * docs' shape (string code and message); the spec wants an integer code there (top of file).
 */
export function errorBodyForSpec(body: unknown): { body: unknown; problems: string[] } {
  if (!isObject(body) || !isObject(body.errors)) return { body, problems: [] };
  const problems: string[] = [];
  const visit = (node: unknown, path: string): unknown => {
    if (!isObject(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key !== '_errors') return [key, visit(value, `${path}.${key}`)];
        if (!Array.isArray(value)) {
          problems.push(`${path}._errors: not a list`);
          return [key, value];
        }
        return [
          key,
          value.map((entry: unknown, i) => {
            const ok = isObject(entry) && typeof entry.code === 'string' && typeof entry.message === 'string';
            if (!ok)
              problems.push(`${path}._errors[${i}]: not {code: string, message: string} as in the docs`);
            return isObject(entry) ? { ...entry, code: 0 } : entry;
          }),
        ];
      }),
    );
  };
  return { body: { ...body, errors: visit(body.errors, '$.errors') }, problems };
}

/** The docs send `attachments[].id` as the integer index of `files[n]` (top of file). */
export function withStringAttachmentIds(body: unknown): unknown {
  if (!isObject(body) || !Array.isArray(body.attachments)) return body;
  return {
    ...body,
    attachments: body.attachments.map((a: unknown) =>
      isObject(a) && Number.isInteger(a.id) ? { ...a, id: String(a.id) } : a,
    ),
  };
}

/**
 * What is wrong with `body` for `schema`: the schema's issues, then every key the schema does not
 * know (Zod drops unknown keys, so they are the keys missing from the parsed copy), except
 * `allowedExtraKeys` (paths as `$.a[].b`).
 */
export function conformance(
  schema: ZodMiniType,
  body: unknown,
  allowedExtraKeys: Record<string, string> = {},
): string[] {
  const input = utcTimestamps(body);
  const result = schema.safeParse(input);
  if (!result.success) return result.error.issues.flatMap((issue) => describeIssue(issue, []));
  return unknownKeys(input, result.data, '$')
    .filter((path) => !(path.replace(/\[\d+\]/g, '[]') in allowedExtraKeys))
    .map((path) => `${path}: not in the spec`);
}

/** RFC 3339 with a numeric offset, as Discord writes timestamps. */
const OFFSET_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

/** Timestamps with an offset as the same instant in UTC with `Z` (top of file). */
function utcTimestamps(value: unknown): unknown {
  if (typeof value === 'string' && OFFSET_TIMESTAMP.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  if (Array.isArray(value)) return value.map(utcTimestamps);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, utcTimestamps(v)]));
  return value;
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, prefix: PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The branch that came closest (fewest issues) says the most.
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
    return closest.flatMap((inner) => describeIssue(inner, path));
  }
  const detail = [
    issue.code,
    'expected' in issue ? `expected ${String(issue.expected)}` : '',
    'maximum' in issue ? `maximum ${String(issue.maximum)}` : '',
    'minimum' in issue ? `minimum ${String(issue.minimum)}` : '',
    'format' in issue ? `format ${String(issue.format)}` : '',
  ].filter(Boolean);
  return [`${formatPath(path)}: ${issue.message} (${detail.join(', ')})`];
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '$',
  );
}

function unknownKeys(input: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(input) && Array.isArray(parsed)) {
    return input.flatMap((item, i) => unknownKeys(item, parsed[i], `${path}[${i}]`));
  }
  if (isObject(input) && isObject(parsed)) {
    return Object.keys(input).flatMap((key) =>
      key in parsed ? unknownKeys(input[key], parsed[key], `${path}.${key}`) : [`${path}.${key}`],
    );
  }
  return [];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
