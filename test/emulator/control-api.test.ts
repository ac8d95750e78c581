// The HTTP control API under /_emulator: seed, state, messages (filters), counters, faults, reset.
import { Routes, type APIChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_BOT_TOKEN,
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  isSnowflake,
  snowflakeTimestamp,
  startDiscordEmulator,
  type DiscordEmulator,
  type EmulatorMessage,
  type WorldState,
} from '../../src/emulator';
import { restFor } from './helpers';

describe('control API', () => {
  let emulator: DiscordEmulator;
  const control = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${emulator.url}/_emulator${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.ok, `${path}: ${res.status}`).toBe(true);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  afterAll(() => emulator.close());

  it('the demo world has stable real snowflakes and the documented token', async () => {
    const state = await control<WorldState>('/state');
    expect(state.bot.token).toBe(DEMO_BOT_TOKEN);
    expect(state.guilds![0]!.id).toBe(DEMO_GUILD_ID);
    expect(state.guilds![0]!.name).toBe('Demo Guild');
    for (const id of [DEMO_GUILD_ID, ...Object.values(DEMO_CHANNELS), ...Object.values(DEMO_MEMBERS)]) {
      expect(isSnowflake(id)).toBe(true);
      expect(new Date(snowflakeTimestamp(id)).getUTCFullYear()).toBe(2024);
    }
    expect(state.users!.filter((u) => u.dms_closed).map((u) => u.id)).toEqual([DEMO_MEMBERS.dave]);
  });

  it('lists messages with DM recipients, filterable by recipient and channel', async () => {
    const rest = restFor(emulator);
    const dm = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: DEMO_MEMBERS.carol },
    })) as APIChannel;
    await rest.post(Routes.channelMessages(dm.id), {
      body: { content: 'to carol', nonce: 'k1', enforce_nonce: true },
    });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.admin), {
      body: { embeds: [{ title: 'Summary' }] },
    });

    const all = await control<{ messages: EmulatorMessage[] }>('/messages');
    expect(all.messages).toHaveLength(2);
    const toCarol = await control<{ messages: EmulatorMessage[] }>(
      `/messages?recipient_id=${DEMO_MEMBERS.carol}`,
    );
    expect(toCarol.messages).toEqual([
      expect.objectContaining({
        channel_id: dm.id,
        recipient_id: DEMO_MEMBERS.carol,
        author_id: emulator.world.bot.id,
        content: 'to carol',
        nonce: 'k1',
      }),
    ]);
    const admin = await control<{ messages: EmulatorMessage[] }>(
      `/messages?channel_id=${DEMO_CHANNELS.admin}`,
    );
    expect(admin.messages.map((m) => [m.recipient_id, m.guild_id, m.embeds])).toEqual([
      [null, DEMO_GUILD_ID, [{ type: 'rich', title: 'Summary' }]],
    ]);
    const state = await control<WorldState>('/state');
    expect(state.dm_channels).toEqual([{ id: dm.id, recipient_id: DEMO_MEMBERS.carol }]);
  });

  it('reports counters, takes faults over HTTP, and resets', async () => {
    const added = await control<{ faults: unknown[] }>('/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/users/@me', kind: 'error', count: 1 }),
    });
    expect(added.faults).toHaveLength(1);
    await restFor(emulator).get(Routes.user('@me'));
    const counters = await control<{
      requestsTotal: number;
      perStatus: Record<string, number>;
      perRoute: Record<string, number>;
    }>('/counters');
    expect(counters.perStatus['500']).toBe(1);
    expect(counters.perRoute['GET /users/@me']).toBe(2);

    await control('/reset', { method: 'POST' });
    expect((await control<{ messages: unknown[] }>('/messages')).messages).toEqual([]);
    expect((await control<{ requestsTotal: number }>('/counters')).requestsTotal).toBe(0);
    expect((await control<{ faults: unknown[] }>('/faults')).faults).toEqual([]);
  });

  it('takes a delay fault over HTTP and refuses a delay that is not a number of milliseconds', async () => {
    const added = await control<{ faults: { kind: string; delayMs: number }[] }>('/faults', {
      method: 'POST',
      body: JSON.stringify({ path: '/users/@me', kind: 'delay', delayMs: 250 }),
    });
    expect(added.faults).toEqual([expect.objectContaining({ kind: 'delay', delayMs: 250 })]);
    for (const delayMs of [-1, 1.5, '250']) {
      const refused = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        body: JSON.stringify({ path: '/users/@me', kind: 'delay', delayMs }),
      });
      expect(refused.status, `delayMs ${JSON.stringify(delayMs)}`).toBe(400);
    }
    await control('/reset', { method: 'POST' });
  });

  it('seeds a new world (ids generated where missing) and the old token stops working', async () => {
    const state = await control<WorldState>('/seed', {
      method: 'POST',
      body: JSON.stringify({
        bot: { username: 'Other Bot', token: 'other-token' },
        users: [{ username: 'zed', dms_closed: true }],
        guilds: [],
      }),
    });
    expect(isSnowflake(state.bot.id)).toBe(true);
    expect(emulator.token).toBe('other-token');
    const bad = await fetch(`${emulator.apiUrl}/v10/users/@me`, {
      headers: { Authorization: `Bot ${DEMO_BOT_TOKEN}` },
    });
    expect(bad.status).toBe(401);
    const invalid = await fetch(`${emulator.url}/_emulator/seed`, {
      method: 'POST',
      body: JSON.stringify({ users: [] }),
    });
    expect(invalid.status).toBe(400);
  });
});
