// Each Discord error the product must handle surfaces in discord.js as a DiscordAPIError with
// Discord's code and status, computed from the emulator's state.
import { DiscordAPIError, REST, Routes, type APIChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_ROLES,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { restFor } from './helpers';

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

const UNKNOWN_ID = snowflakeAt(Date.UTC(2023, 5, 1), 7);
const HIDDEN_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 20), 1);
const READ_ONLY_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 20), 2);
const OTHER_GUILD = snowflakeAt(Date.UTC(2024, 0, 20), 3);
const OTHER_GUILD_CHANNEL = snowflakeAt(Date.UTC(2024, 0, 20), 4);

describe('Discord errors through discord.js', () => {
  let emulator: DiscordEmulator;
  let rest: REST;

  beforeAll(async () => {
    const seed = demoWorldSeed();
    const guild = seed.guilds![0]!;
    guild.channels!.push(
      // The bot's role sees nothing here: the member overwrite on the bot denies View Channel.
      {
        id: HIDDEN_CHANNEL,
        name: 'secret',
        permission_overwrites: [{ id: seed.bot.id!, type: 1, allow: '0', deny: String(1 << 10) }],
      },
      // Everyone (the bot included) can read but not send.
      {
        id: READ_ONLY_CHANNEL,
        name: 'announcements',
        permission_overwrites: [{ id: '@everyone', type: 0, allow: '0', deny: String(1 << 11) }],
      },
    );
    // A guild the bot is not in.
    seed.guilds!.push({
      id: OTHER_GUILD,
      name: 'Elsewhere',
      owner_id: DEMO_MEMBERS.alice,
      channels: [{ id: OTHER_GUILD_CHANNEL, name: 'general' }],
      members: [{ user_id: DEMO_MEMBERS.alice }],
    });
    emulator = await startDiscordEmulator({ seed });
    rest = restFor(emulator);
  });
  afterAll(() => emulator.close());

  const openDm = (recipient_id: string) =>
    rest.post(Routes.userChannels(), { body: { recipient_id } }) as Promise<APIChannel>;
  const send = (channelId: string, body: Record<string, unknown> = { content: 'hi' }) =>
    rest.post(Routes.channelMessages(channelId), { body });

  it('50007 when the user has DMs closed (opening the DM itself works)', async () => {
    const dm = await openDm(DEMO_DMS_CLOSED_USER_ID);
    const error = await apiError(send(dm.id));
    expect([error.code, error.status, error.message]).toEqual([
      50007,
      403,
      'Cannot send messages to this user',
    ]);
  });

  it('50007 when the user shares no guild with the bot', async () => {
    const dm = await openDm(DEMO_OUTSIDER_ID);
    const error = await apiError(send(dm.id));
    expect([error.code, error.status]).toEqual([50007, 403]);
  });

  it('10013 unknown user', async () => {
    const error = await apiError(openDm(UNKNOWN_ID));
    expect([error.code, error.status, error.message]).toEqual([10013, 404, 'Unknown User']);
    const member = await apiError(rest.get(Routes.guildMember(DEMO_GUILD_ID, UNKNOWN_ID)));
    expect([member.code, member.status]).toEqual([10013, 404]);
  });

  it('10007 for a user who is not a member', async () => {
    const error = await apiError(rest.get(Routes.guildMember(DEMO_GUILD_ID, DEMO_OUTSIDER_ID)));
    expect([error.code, error.status]).toEqual([10007, 404]);
  });

  it('10003 unknown channel', async () => {
    const error = await apiError(send(UNKNOWN_ID));
    expect([error.code, error.status, error.message]).toEqual([10003, 404, 'Unknown Channel']);
  });

  it('10004 unknown guild', async () => {
    for (const route of [
      Routes.guild(UNKNOWN_ID),
      Routes.guildChannels(UNKNOWN_ID),
      Routes.guildRoles(UNKNOWN_ID),
    ]) {
      const error = await apiError(rest.get(route));
      expect([error.code, error.status, error.message]).toEqual([10004, 404, 'Unknown Guild']);
    }
  });

  it('50001 Missing Access without View Channel, and in a guild the bot is not in', async () => {
    const hidden = await apiError(send(HIDDEN_CHANNEL));
    expect([hidden.code, hidden.status, hidden.message]).toEqual([50001, 403, 'Missing Access']);
    const elsewhere = await apiError(send(OTHER_GUILD_CHANNEL));
    expect([elsewhere.code, elsewhere.status]).toEqual([50001, 403]);
    const guild = await apiError(rest.get(Routes.guild(OTHER_GUILD)));
    expect([guild.code, guild.status]).toEqual([50001, 403]);
  });

  it('50013 Missing Permissions without Send Messages', async () => {
    const error = await apiError(send(READ_ONLY_CHANNEL));
    expect([error.code, error.status, error.message]).toEqual([50013, 403, 'Missing Permissions']);
  });

  it('the bot may post where its role is allowed (admin channel hidden from @everyone)', async () => {
    await expect(send(DEMO_CHANNELS.admin)).resolves.toMatchObject({ channel_id: DEMO_CHANNELS.admin });
    await expect(send(DEMO_CHANNELS.botLogs)).resolves.toMatchObject({ channel_id: DEMO_CHANNELS.botLogs });
  });

  it('losing the role that grants access to admin turns into 50001', async () => {
    const bot = emulator.world.guilds.get(DEMO_GUILD_ID)!.members.get(emulator.world.bot.id)!;
    bot.roles = [];
    try {
      const error = await apiError(send(DEMO_CHANNELS.admin));
      expect(error.code).toBe(50001);
    } finally {
      bot.roles = [DEMO_ROLES.bot];
    }
  });

  it('50035 Invalid Form Body with the errors tree for content over 2000 characters', async () => {
    const error = await apiError(send(DEMO_CHANNELS.general, { content: 'x'.repeat(2001) }));
    expect([error.code, error.status]).toEqual([50035, 400]);
    expect(error.rawError).toEqual({
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
      },
    });
    expect(error.message).toContain('content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.');
  });

  it('50006 for an empty message', async () => {
    const error = await apiError(send(DEMO_CHANNELS.general, { content: '' }));
    expect([error.code, error.status, error.message]).toEqual([50006, 400, 'Cannot send an empty message']);
  });

  it('401 with a bad token (discord.js then clears its token)', async () => {
    const bad = new REST({ api: emulator.apiUrl }).setToken('not-the-token');
    const error = await apiError(bad.get(Routes.user('@me')));
    expect([error.code, error.status, error.message]).toEqual([0, 401, '401: Unauthorized']);
    // The client forgot the token: the next call fails locally, before any request.
    await expect(bad.get(Routes.user('@me'))).rejects.toThrow(/token/i);
    expect(emulator.control.counterSnapshot().perStatus['401']).toBe(1);
  });

  it('answers the read routes with Discord-shaped objects', async () => {
    const me = (await rest.get(Routes.user('@me'))) as { id: string; bot: boolean };
    expect(me).toMatchObject({ id: emulator.world.bot.id, bot: true });
    const guilds = (await rest.get(Routes.userGuilds())) as { id: string; permissions: string }[];
    expect(guilds.map((g) => g.id)).toEqual([DEMO_GUILD_ID]);
    const roles = (await rest.get(Routes.guildRoles(DEMO_GUILD_ID))) as { id: string; name: string }[];
    expect(roles.find((r) => r.id === DEMO_GUILD_ID)?.name).toBe('@everyone');
    const channels = (await rest.get(Routes.guildChannels(DEMO_GUILD_ID))) as { name: string }[];
    expect(channels.map((c) => c.name)).toEqual(expect.arrayContaining(['general', 'admin', 'bot-logs']));
    const member = (await rest.get(Routes.guildMember(DEMO_GUILD_ID, DEMO_MEMBERS.bob))) as { nick: string };
    expect(member.nick).toBe('Bobby');
    const first = (await openDm(DEMO_MEMBERS.carol)).id;
    expect((await openDm(DEMO_MEMBERS.carol)).id).toBe(first);
  });
});
