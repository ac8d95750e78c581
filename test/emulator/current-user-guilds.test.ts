/**
 * GET /users/@me/guilds pages as Discord's does (ascending ids, `limit` 1-200, `after`,
 * `before`), and `resolveGuildIds` (GUILD_IDS=all) walks every page through discord.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Routes } from 'discord.js';
import {
  demoWorldSeed,
  DEMO_BOT_ID,
  DEMO_GUILD_ID,
  DEMO_OWNER_ID,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { loadConfig } from '../../src/config';
import { resolveGuildIds } from '../../src/guilds';
import { apiError, restFor } from './helpers';

let emulator: DiscordEmulator;
/** 205 guilds with the bot, one without it: two pages of 200 and 5 (plus the demo guild). */
const botGuilds = Array.from({ length: 205 }, (_, i) => snowflakeAt(Date.UTC(2023, 0, 1) + i * 1000, i));
const otherGuild = snowflakeAt(Date.UTC(2023, 6, 1), 1);

beforeAll(async () => {
  const seed = demoWorldSeed();
  const guild = (id: string, withBot: boolean) => ({
    id,
    name: `g${id.slice(-4)}`,
    owner_id: DEMO_OWNER_ID,
    members: [{ user_id: DEMO_OWNER_ID }, ...(withBot ? [{ user_id: DEMO_BOT_ID }] : [])],
  });
  seed.guilds = [...seed.guilds!, ...botGuilds.map((id) => guild(id, true)), guild(otherGuild, false)];
  emulator = await startDiscordEmulator({ seed });
});
afterAll(() => emulator?.close());

const ascending = [...botGuilds, DEMO_GUILD_ID].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

describe('GET /users/@me/guilds', () => {
  it('returns at most 200, in id order, and pages with after and before', async () => {
    const rest = restFor(emulator);
    const ids = async (query: Record<string, string>) =>
      ((await rest.get(Routes.userGuilds(), { query: new URLSearchParams(query) })) as { id: string }[]).map(
        (g) => g.id,
      );

    expect(await ids({})).toEqual(ascending.slice(0, 200));
    expect(await ids({ limit: '3', after: ascending[1]! })).toEqual(ascending.slice(2, 5));
    expect(await ids({ limit: '2', before: ascending[4]! })).toEqual(ascending.slice(2, 4));
    expect(await ids({ after: ascending[200]! })).toEqual(ascending.slice(201));
  });

  it('refuses a limit out of 1-200 as an invalid form body (50035)', async () => {
    const rest = restFor(emulator);
    const error = await apiError(
      rest.get(Routes.userGuilds(), { query: new URLSearchParams({ limit: '201' }) }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe(50035);
  });
});

describe('resolveGuildIds with GUILD_IDS=all', () => {
  it('lists every guild the bot is in across pages, and none it is not in', async () => {
    const config = loadConfig({
      GUILD_IDS: 'all',
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_URL: emulator.apiUrl,
    });

    const ids = await resolveGuildIds(config);

    expect(ids).toEqual(ascending);
    expect(ids).not.toContain(otherGuild);
  });
});
