// Contract test, answers side: every route of the emulator's route table answers its success and
// its errors (unknown resources, missing access or permissions, DMs refused, invalid bodies, 413,
// bad token, rate limits) with the status and the body Discord's OpenAPI spec gives for that path,
// method and status (spec.ts; where the docs and the spec disagree, the docs win and spec.ts says
// so). Plain fetch, so what is checked is the bytes on the wire, JSON and multipart alike.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_BOT_ID,
  DEMO_CHANNELS,
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_ROLES,
  defaultConfig,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../src/emulator';
import { routeKey, routes } from '../../src/emulator/routes';
import {
  ROUTE_CONTRACTS,
  conformance,
  errorBodyForSpec,
  rateLimitedBody,
  responseSchema,
  specHasOperation,
  toSpecPath,
} from './spec';

const id = (n: number) => snowflakeAt(Date.UTC(2024, 3, 1), n);
const UNKNOWN_ID = id(1);
const HIDDEN_CHANNEL = id(2);
const READ_ONLY_CHANNEL = id(3);
const NO_FILES_CHANNEL = id(4);
const CATEGORY = id(5);
const OTHER_GUILD = id(6);
const OTHER_GUILD_CHANNEL = id(7);

const VIEW_CHANNEL = 1n << 10n;
const SEND_MESSAGES = 1n << 11n;
const ATTACH_FILES = 1n << 15n;
const READ_MESSAGE_HISTORY = 1n << 16n;
/** A 1×1 PNG, for an embed image sent as attachment://. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The demo world plus what the errors need: channels the bot may not see or write to, a category, a guild without the bot. */
function contractSeed(): WorldSeed {
  const seed = demoWorldSeed();
  const guild = seed.guilds![0]!;
  const denyBot = (deny: bigint) => [{ id: DEMO_ROLES.bot, type: 0 as const, deny: deny.toString() }];
  guild.channels = [
    ...(guild.channels ?? []),
    { id: HIDDEN_CHANNEL, name: 'hidden', permission_overwrites: denyBot(VIEW_CHANNEL) },
    { id: READ_ONLY_CHANNEL, name: 'read-only', permission_overwrites: denyBot(SEND_MESSAGES) },
    {
      id: NO_FILES_CHANNEL,
      name: 'no-files',
      // No history either: Get Channel Messages answers an empty list, not an error.
      permission_overwrites: denyBot(ATTACH_FILES | READ_MESSAGE_HISTORY),
    },
    { id: CATEGORY, name: 'Category', type: 4 },
  ];
  seed.guilds!.push({
    id: OTHER_GUILD,
    name: 'Without the bot',
    owner_id: DEMO_MEMBERS.alice,
    channels: [{ id: OTHER_GUILD_CHANNEL, name: 'elsewhere' }],
    members: [{ user_id: DEMO_MEMBERS.alice }],
  });
  return seed;
}

interface Request {
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  /** A raw body with its content type (invalid JSON, broken multipart). */
  raw?: { body: string; contentType: string };
  form?: () => FormData;
  token?: string;
}

interface Case {
  name: string;
  request: Request;
  status: number;
  /** Discord's JSON error code, for errors. */
  code?: number;
  /** Runs after the world is seeded, before the request (a route's own request may be repeated). */
  before?: (emulator: DiscordEmulator, send: () => Promise<Answer>) => unknown;
}

interface RouteCases {
  /** A request the route answers 200 to: the 401 and injected 429 cases reuse it. */
  ok: Request;
  cases: Case[];
}

interface Answer {
  status: number;
  body: unknown;
}

const guildMessage = (content: string) => ({ content });
const files = (...entries: [name: string, type: string, data: Buffer | string][]) =>
  entries.map(([name, type, data]) => new File([data], name, { type }));

function multipart(payload: unknown, parts: File[]): FormData {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  parts.forEach((file, i) => form.append(`files[${i}]`, file, file.name));
  return form;
}

/** What the product sends: embeds, nonce with enforce_nonce, no pings. */
const productLikeMessage = {
  content: 'Heads-up <@' + DEMO_MEMBERS.bob + '>',
  embeds: [
    {
      title: 'Unused commands',
      description: 'These commands will be deleted.',
      color: 0xf1c40f,
      fields: [
        { name: '!hello', value: 'unused for 120 days', inline: true },
        { name: '!bye', value: 'unused for 90 days' },
      ],
      footer: { text: 'Cleanup Bot' },
      author: { name: 'Demo Guild' },
      timestamp: '2025-06-01T03:00:00.000Z',
    },
  ],
  nonce: 'warning-carol-1',
  enforce_nonce: true,
  allowed_mentions: { parse: [] },
};

const CASES: Record<string, RouteCases> = {
  'GET /users/@me': {
    ok: { path: '/users/@me' },
    cases: [
      { name: 'the bot user', request: { path: '/users/@me' }, status: 200 },
      {
        name: 'over the global limit',
        request: { path: '/users/@me' },
        status: 429,
        before: async (emulator, send) => {
          emulator.control.configure({ globalRateLimitPerSecond: 1 });
          return send();
        },
      },
    ],
  },
  'GET /users/@me/guilds': {
    ok: { path: '/users/@me/guilds' },
    cases: [{ name: "the bot's guilds only", request: { path: '/users/@me/guilds' }, status: 200 }],
  },
  'POST /users/@me/channels': {
    ok: { path: '/users/@me/channels', json: { recipient_id: DEMO_MEMBERS.carol } },
    cases: [
      {
        name: 'a DM channel',
        request: { path: '/users/@me/channels', json: { recipient_id: DEMO_MEMBERS.carol } },
        status: 200,
      },
      {
        name: 'the same DM channel again, after a message',
        request: { path: '/users/@me/channels', json: { recipient_id: DEMO_MEMBERS.carol } },
        status: 200,
        before: async (emulator, send) => {
          const channel = (await send()).body as { id: string };
          return api(emulator, 'POST', { path: `/channels/${channel.id}/messages`, json: { content: 'hi' } });
        },
      },
      {
        name: 'unknown user',
        request: { path: '/users/@me/channels', json: { recipient_id: UNKNOWN_ID } },
        status: 404,
        code: 10013,
      },
      {
        name: 'a recipient_id that is no snowflake',
        request: { path: '/users/@me/channels', json: { recipient_id: 'carol' } },
        status: 400,
        code: 50035,
      },
      {
        name: 'invalid JSON',
        request: {
          path: '/users/@me/channels',
          raw: { body: '{"recipient_id":', contentType: 'application/json' },
        },
        status: 400,
        code: 50109,
      },
      {
        name: 'opening DMs too fast',
        request: { path: '/users/@me/channels', json: { recipient_id: DEMO_MEMBERS.erin } },
        status: 403,
        code: 40003,
        before: async (emulator) => {
          emulator.control.configure({ dmOpenTooFast: { limit: 1, windowMs: 60_000 } });
          return api(emulator, 'POST', {
            path: '/users/@me/channels',
            json: { recipient_id: DEMO_MEMBERS.frank },
          });
        },
      },
    ],
  },
  'GET /users/:user_id': {
    ok: { path: `/users/${DEMO_MEMBERS.bob}` },
    cases: [
      { name: 'a user', request: { path: `/users/${DEMO_MEMBERS.bob}` }, status: 200 },
      { name: 'unknown user', request: { path: `/users/${UNKNOWN_ID}` }, status: 404, code: 10013 },
    ],
  },
  'POST /channels/:channel_id/messages': {
    ok: { path: `/channels/${DEMO_CHANNELS.general}/messages`, json: guildMessage('hello') },
    cases: [
      {
        name: 'content, embeds, nonce, allowed_mentions (JSON)',
        request: { path: `/channels/${DEMO_CHANNELS.general}/messages`, json: productLikeMessage },
        status: 200,
      },
      {
        name: 'a repeated nonce with enforce_nonce: the original message',
        request: { path: `/channels/${DEMO_CHANNELS.general}/messages`, json: productLikeMessage },
        status: 200,
        before: (emulator, send) => send(),
      },
      {
        name: 'nulls in an embed, as the spec lets a request send them',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          json: {
            embeds: [
              {
                title: 't',
                url: null,
                color: null,
                fields: [{ name: 'n', value: 'v', inline: null }],
                footer: { text: 'f', icon_url: null },
              },
            ],
          },
        },
        status: 200,
      },
      {
        name: 'a mention that pings (no allowed_mentions)',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          json: { content: `<@${DEMO_MEMBERS.bob}> and @everyone` },
        },
        status: 200,
      },
      {
        name: 'files (multipart): a text file and an image shown by the embed',
        request: {
          path: `/channels/${DEMO_CHANNELS.admin}/messages`,
          form: () =>
            multipart(
              {
                embeds: [{ title: 'Report', image: { url: 'attachment://chart.png' } }],
                nonce: 'summary-1',
                enforce_nonce: true,
                allowed_mentions: { parse: [] },
                attachments: [
                  { id: 0, filename: 'list.txt', description: 'The list' },
                  { id: 1, filename: 'chart.png' },
                ],
              },
              files(['list.txt', 'text/plain; charset=utf-8', 'a\nb\n'], ['chart.png', 'image/png', PNG]),
            ),
        },
        status: 200,
      },
      {
        name: 'files (multipart) to a DM, no attachments entries',
        request: {
          path: '/channels/(dm)/messages',
          form: () => multipart({ content: 'your list' }, files(['commands.txt', '', 'x'])),
        },
        status: 200,
      },
      {
        name: 'unknown channel',
        request: { path: `/channels/${UNKNOWN_ID}/messages`, json: guildMessage('x') },
        status: 404,
        code: 10003,
      },
      {
        name: 'a channel the bot cannot see',
        request: { path: `/channels/${HIDDEN_CHANNEL}/messages`, json: guildMessage('x') },
        status: 403,
        code: 50001,
      },
      {
        name: 'a guild the bot is not in',
        request: { path: `/channels/${OTHER_GUILD_CHANNEL}/messages`, json: guildMessage('x') },
        status: 403,
        code: 50001,
      },
      {
        name: 'no Send Messages',
        request: { path: `/channels/${READ_ONLY_CHANNEL}/messages`, json: guildMessage('x') },
        status: 403,
        code: 50013,
      },
      {
        name: 'files without Attach Files',
        request: {
          path: `/channels/${NO_FILES_CHANNEL}/messages`,
          form: () => multipart({ content: 'x' }, files(['a.txt', 'text/plain', 'a'])),
        },
        status: 403,
        code: 50013,
      },
      {
        name: 'a user with DMs closed',
        request: { path: '/channels/(dm of dave)/messages', json: guildMessage('x') },
        status: 403,
        code: 50007,
      },
      {
        name: 'a user sharing no guild, with the newer code',
        request: { path: '/channels/(dm of outsider)/messages', json: guildMessage('x') },
        status: 403,
        code: 50278,
        before: (emulator) => emulator.control.configure({ noMutualGuildCode: 50278 }),
      },
      {
        name: 'invalid form body (content and embed title too long, a long nonce)',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          json: { content: 'x'.repeat(2001), embeds: [{ title: 't'.repeat(257) }], nonce: 'n'.repeat(26) },
        },
        status: 400,
        code: 50035,
      },
      {
        name: 'an attachments entry naming no file (multipart)',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          form: () =>
            multipart(
              { content: 'x', attachments: [{ id: 3, filename: 'x.txt' }] },
              files(['a.txt', 'text/plain', 'a']),
            ),
        },
        status: 400,
        code: 50035,
      },
      {
        name: 'an empty message',
        request: { path: `/channels/${DEMO_CHANNELS.general}/messages`, json: { content: '' } },
        status: 400,
        code: 50006,
      },
      {
        name: 'a category',
        request: { path: `/channels/${CATEGORY}/messages`, json: guildMessage('x') },
        status: 400,
        code: 50008,
      },
      {
        name: 'invalid JSON',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          raw: { body: '{"content":', contentType: 'application/json' },
        },
        status: 400,
        code: 50109,
      },
      {
        name: 'a body that is not multipart',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          raw: { body: 'not multipart', contentType: 'multipart/form-data; boundary=xyz' },
        },
        status: 400,
        code: 0,
      },
      {
        name: 'a file over the upload limit',
        request: {
          path: `/channels/${DEMO_CHANNELS.general}/messages`,
          form: () => multipart({ content: 'x' }, files(['big.txt', 'text/plain', 'x'.repeat(2048)])),
        },
        status: 413,
        code: 40005,
        before: (emulator) => emulator.control.configure({ maxUploadBytes: 1024 }),
      },
      {
        name: "over the route's limit",
        request: { path: `/channels/${DEMO_CHANNELS.general}/messages`, json: guildMessage('x') },
        status: 429,
        before: async (emulator) => {
          for (let i = 0; i < 5; i++) {
            await api(emulator, 'POST', {
              path: `/channels/${DEMO_CHANNELS.general}/messages`,
              json: guildMessage(`m${i}`),
            });
          }
        },
      },
    ],
  },
  'GET /channels/:channel_id/messages': {
    ok: { path: `/channels/${DEMO_CHANNELS.general}/messages` },
    cases: [
      {
        name: 'a page of messages, with attachments and embeds',
        request: { path: `/channels/${DEMO_CHANNELS.admin}/messages`, query: { limit: '10' } },
        status: 200,
        before: async (emulator) => {
          await api(emulator, 'POST', {
            path: `/channels/${DEMO_CHANNELS.admin}/messages`,
            json: productLikeMessage,
          });
          return api(emulator, 'POST', {
            path: `/channels/${DEMO_CHANNELS.admin}/messages`,
            form: () =>
              multipart(
                {
                  embeds: [{ title: 'r', thumbnail: { url: 'attachment://c.png' } }],
                  attachments: [{ id: 0, filename: 'c.png' }],
                },
                files(['c.png', 'image/png', PNG]),
              ),
          });
        },
      },
      {
        name: 'a DM channel, paged with after',
        request: { path: '/channels/(dm)/messages', query: { after: '0', limit: '100' } },
        status: 200,
        before: (emulator) =>
          api(emulator, 'POST', { path: '/channels/(dm)/messages', json: guildMessage('hi') }),
      },
      {
        name: 'no Read Message History: an empty list',
        request: { path: `/channels/${NO_FILES_CHANNEL}/messages` },
        status: 200,
      },
      {
        name: 'unknown channel',
        request: { path: `/channels/${UNKNOWN_ID}/messages` },
        status: 404,
        code: 10003,
      },
      {
        name: 'a channel the bot cannot see',
        request: { path: `/channels/${HIDDEN_CHANNEL}/messages` },
        status: 403,
        code: 50001,
      },
      { name: 'a category', request: { path: `/channels/${CATEGORY}/messages` }, status: 400, code: 50024 },
      {
        name: 'limit out of range',
        request: { path: `/channels/${DEMO_CHANNELS.general}/messages`, query: { limit: '0' } },
        status: 400,
        code: 50035,
      },
    ],
  },
  'GET /guilds/:guild_id': {
    ok: { path: `/guilds/${DEMO_GUILD_ID}` },
    cases: guildCases(''),
  },
  'GET /guilds/:guild_id/channels': {
    ok: { path: `/guilds/${DEMO_GUILD_ID}/channels` },
    cases: guildCases('/channels'),
  },
  'GET /guilds/:guild_id/roles': {
    ok: { path: `/guilds/${DEMO_GUILD_ID}/roles` },
    cases: guildCases('/roles'),
  },
  'GET /guilds/:guild_id/members/:user_id': {
    ok: { path: `/guilds/${DEMO_GUILD_ID}/members/${DEMO_MEMBERS.bob}` },
    cases: [
      ...guildCases(`/members/${DEMO_MEMBERS.bob}`),
      {
        name: 'the bot itself',
        request: { path: `/guilds/${DEMO_GUILD_ID}/members/${DEMO_BOT_ID}` },
        status: 200,
      },
      {
        name: 'a user who is not a member',
        request: { path: `/guilds/${DEMO_GUILD_ID}/members/${DEMO_OUTSIDER_ID}` },
        status: 404,
        code: 10007,
      },
      {
        name: 'unknown user',
        request: { path: `/guilds/${DEMO_GUILD_ID}/members/${UNKNOWN_ID}` },
        status: 404,
        code: 10013,
      },
    ],
  },
};

/** The success and the guild errors of a guild route. */
function guildCases(suffix: string): Case[] {
  return [
    { name: 'the demo guild', request: { path: `/guilds/${DEMO_GUILD_ID}${suffix}` }, status: 200 },
    { name: 'unknown guild', request: { path: `/guilds/${UNKNOWN_ID}${suffix}` }, status: 404, code: 10004 },
    {
      name: 'a guild the bot is not in',
      request: { path: `/guilds/${OTHER_GUILD}${suffix}` },
      status: 403,
      code: 50001,
    },
  ];
}

/** The cases every route gets: a bad token, and injected 429s of each scope. */
function commonCases(key: string, ok: Request): Case[] {
  const template = key.slice(key.indexOf(' ') + 1);
  const faultPath = template.replace(/:\w+/g, ':x');
  const method = key.slice(0, key.indexOf(' '));
  const rateLimit = (scope: 'user' | 'global' | 'shared') => ({
    name: `an injected ${scope} rate limit`,
    request: ok,
    status: 429,
    before: (emulator: DiscordEmulator) =>
      emulator.control.addFault({
        method,
        path: faultPath,
        kind: 'rate-limit',
        scope,
        global: scope === 'global',
        retryAfter: 1.5,
      }),
  });
  return [
    { name: 'a bad token', request: { ...ok, token: 'not-the-token' }, status: 401, code: 0 },
    { name: 'no Authorization header', request: { ...ok, token: '' }, status: 401, code: 0 },
    rateLimit('user'),
    rateLimit('global'),
    rateLimit('shared'),
  ];
}

/** Resolves the placeholders `(dm)` (carol's DM), `(dm of dave)` and `(dm of outsider)`. */
async function resolvePath(emulator: DiscordEmulator, path: string): Promise<string> {
  const dmOf = async (userId: string) => {
    const answer = await api(emulator, 'POST', {
      path: '/users/@me/channels',
      json: { recipient_id: userId },
    });
    return (answer.body as { id: string }).id;
  };
  let resolved = path;
  if (resolved.includes('(dm of dave)'))
    resolved = resolved.replace('(dm of dave)', await dmOf(DEMO_DMS_CLOSED_USER_ID));
  if (resolved.includes('(dm of outsider)'))
    resolved = resolved.replace('(dm of outsider)', await dmOf(DEMO_OUTSIDER_ID));
  if (resolved.includes('(dm)')) resolved = resolved.replace('(dm)', await dmOf(DEMO_MEMBERS.carol));
  return resolved;
}

async function api(emulator: DiscordEmulator, method: string, request: Request): Promise<Answer> {
  const url = new URL(`${emulator.apiUrl}/v10${await resolvePath(emulator, request.path)}`);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const token = request.token ?? emulator.token;
  if (token) headers.authorization = `Bot ${token}`;
  let body: string | FormData | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.raw) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.body;
  } else if (request.form) {
    body = request.form(); // fetch sets the multipart content type and boundary
  }
  const response = await fetch(url, { method, headers, body });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: await response.json() };
}

describe('the emulator against Discord OpenAPI spec', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await startDiscordEmulator({ seed: contractSeed() });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator.control.seed(contractSeed());
    emulator.control.configure(defaultConfig());
  });

  it('has a contract, a spec operation and cases for every route of the route table', async () => {
    const listed = (await (await fetch(`${emulator.url}/_emulator/routes`)).json()) as {
      routes: { route: string }[];
    };
    const table = routes.map(routeKey).sort();
    expect(listed.routes.map((r) => r.route).sort()).toEqual(table);
    expect(Object.keys(ROUTE_CONTRACTS).sort()).toEqual(table);
    expect(Object.keys(CASES).sort()).toEqual(table);
    for (const route of routes) {
      const key = routeKey(route);
      const contract = ROUTE_CONTRACTS[key]!;
      expect(contract.path, key).toBe(toSpecPath(route.template));
      expect(contract.method, key).toBe(route.method.toLowerCase());
      expect(specHasOperation(contract.method, contract.path), key).toBe(true);
      // A success, a route-specific error or a limit besides the common 401s and 429s.
      // Its own cases and the common ones: at least a success, a bad token and a rate limit.
      const { ok, cases } = CASES[key]!;
      const statuses = new Set([...cases, ...commonCases(key, ok)].map((c) => c.status));
      expect(
        [200, 401, 429].filter((s) => !statuses.has(s)),
        key,
      ).toEqual([]);
    }
  });

  const all = Object.entries(CASES).flatMap(([key, { ok, cases }]) =>
    [...cases, ...commonCases(key, ok)].map((c) => ({ key, ...c })),
  );
  it.each(all)('$key → $status: $name', async ({ key, request, status, code, before }) => {
    const method = key.slice(0, key.indexOf(' '));
    const send = () => api(emulator, method, request);
    await before?.(emulator, send);
    const answer = await send();
    expect({ status: answer.status, body: answer.body }).toMatchObject({
      status,
      ...(code !== undefined ? { body: { code } } : {}),
    });
    // The spec's schema for the status, after the docs' corrections (spec.ts).
    const contract = ROUTE_CONTRACTS[key]!;
    const { body, problems } =
      status === 429
        ? { body: rateLimitedBody(answer.body), problems: [] }
        : status === 200
          ? { body: answer.body, problems: [] }
          : errorBodyForSpec(answer.body);
    const extraKeys = status === 200 ? contract.extraKeys : {};
    problems.push(...conformance(responseSchema(contract, status), body, extraKeys));
    expect(problems, JSON.stringify(answer.body, null, 1).slice(0, 3000)).toEqual([]);
  });
});
