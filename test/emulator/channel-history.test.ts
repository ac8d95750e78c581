// GET /channels/{id}/messages (Get Channel Messages) through discord.js: newest first, paged by
// limit/before/after/around, Discord's message objects without the nonce, access computed from
// the world, Discord's errors, and the channel's own rate-limit bucket.
import { makeURLSearchParams, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  DEMO_MEMBERS,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { apiError, restFor } from './helpers';

const HIDDEN_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 22), 1);
const NO_HISTORY_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 22), 2);
const CATEGORY = snowflakeAt(Date.UTC(2024, 0, 22), 3);
const OTHER_GUILD = snowflakeAt(Date.UTC(2024, 0, 22), 4);
const OTHER_GUILD_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 22), 5);
const UNKNOWN_CHANNEL = snowflakeAt(Date.UTC(2023, 5, 1), 6);

describe('GET channel messages', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  /** Contents m0 (oldest) .. m6 (newest), posted to #general. */
  const sent: APIMessage[] = [];

  const history = async (channelId: string, query: Record<string, string | number> = {}) =>
    (await rest.get(Routes.channelMessages(channelId), {
      query: makeURLSearchParams(query),
    })) as APIMessage[];
  const contents = (messages: APIMessage[]) => messages.map((m) => m.content);

  beforeAll(async () => {
    const seed = demoWorldSeed();
    const bot = seed.bot.id!;
    seed.guilds![0]!.channels!.push(
      {
        id: HIDDEN_CHANNEL,
        name: 'hidden',
        permission_overwrites: [{ id: bot, type: 1, allow: '0', deny: String(1 << 10) }],
      },
      // Visible, but Read Message History (1 << 16) denied to the bot.
      {
        id: NO_HISTORY_CHANNEL,
        name: 'no-history',
        permission_overwrites: [{ id: bot, type: 1, allow: '0', deny: String(1 << 16) }],
      },
      { id: CATEGORY, name: 'Info', type: 4 },
    );
    seed.guilds!.push({
      id: OTHER_GUILD,
      name: 'Elsewhere',
      owner_id: DEMO_MEMBERS.alice,
      channels: [{ id: OTHER_GUILD_CHANNEL, name: 'general' }],
      members: [{ user_id: DEMO_MEMBERS.alice }],
    });
    emulator = await startDiscordEmulator({
      seed,
      routeLimits: { 'POST /channels/:channel_id/messages': { limit: 100, windowMs: 1000 } },
    });
    rest = restFor(emulator);
    for (let i = 0; i < 7; i++) {
      sent.push(
        (await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), {
          body: { content: `m${i}`, nonce: `n${i}`, enforce_nonce: true },
          ...(i === 3 ? { files: [{ name: 'notes.txt', data: 'three' }] } : {}),
        })) as APIMessage,
      );
    }
  });
  afterAll(() => emulator.close());

  it('returns the newest 50 by default, newest first, as Discord message objects without the nonce', async () => {
    const messages = await history(DEMO_CHANNELS.general);
    expect(contents(messages)).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    expect(sent[0]!.nonce).toBe('n0');
    for (const m of messages) {
      expect(m).not.toHaveProperty('nonce');
      expect(m).toMatchObject({
        channel_id: DEMO_CHANNELS.general,
        type: 0,
        author: { id: emulator.world.bot.id },
      });
    }
    const withFile = messages.find((m) => m.content === 'm3')!;
    expect(withFile.attachments).toEqual(sent[3]!.attachments);
    expect(withFile.attachments[0]).toMatchObject({ filename: 'notes.txt', size: 5 });
  });

  it('pages with limit, before, after and around', async () => {
    const id = (i: number) => sent[i]!.id;
    expect(contents(await history(DEMO_CHANNELS.general, { limit: 3 }))).toEqual(['m6', 'm5', 'm4']);
    expect(contents(await history(DEMO_CHANNELS.general, { before: id(4), limit: 3 }))).toEqual([
      'm3',
      'm2',
      'm1',
    ]);
    // after: the messages just after the cursor, still newest first.
    expect(contents(await history(DEMO_CHANNELS.general, { after: id(1), limit: 2 }))).toEqual(['m3', 'm2']);
    expect(contents(await history(DEMO_CHANNELS.general, { after: id(4) }))).toEqual(['m6', 'm5']);
    expect(contents(await history(DEMO_CHANNELS.general, { around: id(3), limit: 3 }))).toEqual([
      'm4',
      'm3',
      'm2',
    ]);
    expect(contents(await history(DEMO_CHANNELS.general, { around: id(3), limit: 1 }))).toEqual(['m3']);
    expect(await history(DEMO_CHANNELS.general, { before: id(0) })).toEqual([]);

    // Paging backwards two at a time visits every message once.
    const seen: string[] = [];
    let page = await history(DEMO_CHANNELS.general, { limit: 2 });
    while (page.length > 0) {
      seen.push(...contents(page));
      page = await history(DEMO_CHANNELS.general, { limit: 2, before: page.at(-1)!.id });
    }
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('reads the bot’s own DM channels and other channels separately', async () => {
    const dm = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: DEMO_MEMBERS.carol },
    })) as APIChannel;
    await rest.post(Routes.channelMessages(dm.id), { body: { content: 'hi carol' } });
    expect(contents(await history(dm.id))).toEqual(['hi carol']);
    expect(await history(DEMO_CHANNELS.admin)).toEqual([]);
  });

  it.each([
    [{ limit: 0 }, 'limit', 'NUMBER_TYPE_MIN'],
    [{ limit: 101 }, 'limit', 'NUMBER_TYPE_MAX'],
    [{ limit: 'ten' }, 'limit', 'NUMBER_TYPE_COERCE'],
    [{ before: 'yesterday' }, 'before', 'NUMBER_TYPE_COERCE'],
    [{ around: '-1' }, 'around', 'NUMBER_TYPE_COERCE'],
  ] as const)('refuses %o with 50035 on %s (%s)', async (query, field, code) => {
    const error = await apiError(history(DEMO_CHANNELS.general, query));
    expect([error.status, error.code]).toEqual([400, 50035]);
    expect(error.rawError).toMatchObject({ errors: { [field]: { _errors: [{ code }] } } });
  });

  it('answers Discord’s access errors; without Read Message History, no messages', async () => {
    const cases: [string, number, number][] = [
      [UNKNOWN_CHANNEL, 404, 10003],
      [HIDDEN_CHANNEL, 403, 50001],
      [OTHER_GUILD_CHANNEL, 403, 50001],
      [CATEGORY, 400, 50024],
    ];
    for (const [channel, status, code] of cases) {
      const error = await apiError(history(channel));
      expect([channel, error.status, error.code]).toEqual([channel, status, code]);
    }
    // Discord's docs: missing READ_MESSAGE_HISTORY returns no messages rather than an error.
    // The bot may post there (View Channel, Send Messages) but not read back.
    await rest.post(Routes.channelMessages(NO_HISTORY_CHANNEL), { body: { content: 'write-only' } });
    expect(await history(NO_HISTORY_CHANNEL)).toEqual([]);
  });

  it('is limited per channel in its own bucket, with Discord’s headers', async () => {
    emulator.control.configure({
      routeLimits: {
        ...emulator.control.config.routeLimits,
        'GET /channels/:channel_id/messages': { limit: 2, windowMs: 60_000 },
      },
    });
    try {
      const get = (channel: string) =>
        fetch(`${emulator.apiUrl}/v10/channels/${channel}/messages?limit=1`, {
          headers: { Authorization: `Bot ${emulator.token}` },
        });
      const [a, b, c] = [
        await get(DEMO_CHANNELS.botLogs),
        await get(DEMO_CHANNELS.botLogs),
        await get(DEMO_CHANNELS.botLogs),
      ];
      expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
      expect(b.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(c.headers.get('x-ratelimit-scope')).toBe('user');
      expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another channel has its own window; the POST route has another bucket altogether.
      const other = await get(DEMO_CHANNELS.admin);
      expect(other.status).toBe(200);
      expect(other.headers.get('x-ratelimit-bucket')).toBe(a.headers.get('x-ratelimit-bucket'));
      const posted = await fetch(`${emulator.apiUrl}/v10/channels/${DEMO_CHANNELS.botLogs}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bot ${emulator.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: 'still allowed' }),
      });
      expect(posted.status).toBe(200);
      expect(posted.headers.get('x-ratelimit-bucket')).not.toBe(a.headers.get('x-ratelimit-bucket'));
    } finally {
      const { 'GET /channels/:channel_id/messages': _, ...rest } = emulator.control.config.routeLimits;
      emulator.control.configure({ routeLimits: rest });
    }
  });
});
