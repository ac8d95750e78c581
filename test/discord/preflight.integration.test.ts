// Integration tests: the gateway's preflight (token, guild, admin channel and the bot's
// permissions in it) and membership checks, over discord.js REST against the emulator.
import { describe, expect, it } from 'vitest';
import { DiscordFailureType } from '../../src/discord/errors';
import {
  DEMO_BOT_ID,
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_ROLES,
  snowflakeAt,
} from '../../src/emulator';
import { failureOf, useEmulator } from './emulator-harness';

const UNKNOWN_ID = snowflakeAt(Date.UTC(2024, 5, 1), 1);
const EMBED_LINKS = (1n << 14n).toString();
const SEND_MESSAGES = (1n << 11n).toString();
const ATTACH_FILES = (1n << 15n).toString();
const READ_MESSAGE_HISTORY = (1n << 16n).toString();

const { gateway, seedWith } = useEmulator();

describe('preflight (integration)', () => {
  it('resolves the demo admin channel, visible to the bot only through its role', async () => {
    const result = await gateway().preflight(DEMO_GUILD_ID, ['admin', 'bot-logs']);
    expect(result).toEqual({
      botUserId: DEMO_BOT_ID,
      guildName: DEMO_GUILD_NAME,
      adminChannel: { id: DEMO_CHANNELS.admin, name: 'admin' },
    });
  });

  it('follows the configured order of names', async () => {
    const result = await gateway().preflight(DEMO_GUILD_ID, ['missing', 'bot-logs', 'admin']);
    expect(result.adminChannel).toEqual({ id: DEMO_CHANNELS.botLogs, name: 'bot-logs' });
  });

  it('degrades, with the reason, when the bot may not post embeds in any admin channel', async () => {
    seedWith((seed) => {
      const channels = seed.guilds![0]!.channels!;
      const admin = channels.find((c) => c.name === 'admin')!;
      admin.permission_overwrites = admin.permission_overwrites!.filter((o) => o.id !== DEMO_ROLES.bot);
      const botLogs = channels.find((c) => c.name === 'bot-logs')!;
      botLogs.permission_overwrites = [
        { id: '@everyone', type: 0, allow: '0', deny: SEND_MESSAGES },
        { id: DEMO_ROLES.bot, type: 0, allow: SEND_MESSAGES, deny: EMBED_LINKS },
      ];
    });
    const result = await gateway().preflight(DEMO_GUILD_ID, ['admin', 'bot-logs', 'mod-logs']);
    expect(result.adminChannel).toBeUndefined();
    expect(result.guildName).toBe(DEMO_GUILD_NAME);
    expect(result.degradedReason).toContain(`#admin (${DEMO_CHANNELS.admin}) lacks View Channel;`);
    expect(result.degradedReason).toContain(`#bot-logs (${DEMO_CHANNELS.botLogs}) lacks Embed Links`);
    expect(result.degradedReason).toContain('no text channel named #mod-logs');
  });

  it('fails non-retryably with GuildUnreachable for a guild the bot cannot see', async () => {
    const failure = await failureOf(gateway().preflight(UNKNOWN_ID, ['admin']));
    expect(failure.type).toBe(DiscordFailureType.GuildUnreachable);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(UNKNOWN_ID);
  });

  it('fails with DiscordUnauthorized for a bad token, without leaking it', async () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.bad.not-the-right-token-at-all';
    const failure = await failureOf(gateway({ token }).preflight(DEMO_GUILD_ID, ['admin']));
    expect(failure.type).toBe(DiscordFailureType.Unauthorized);
    // Retryable since errors.ts made a 401 a fault of this worker's token, not of the request:
    // the attempt runs again on a worker whose token is good.
    expect(failure.nonRetryable).toBe(false);
    expect(JSON.stringify({ m: failure.message, d: failure.details })).not.toContain(token);
  });

  it('chooses a channel lacking Attach Files or Read Message History, and says what that costs', async () => {
    seedWith((seed) => {
      const admin = seed.guilds![0]!.channels!.find((c) => c.name === 'admin')!;
      admin.permission_overwrites = [
        ...admin.permission_overwrites!.filter((o) => o.id !== DEMO_ROLES.bot),
        {
          id: DEMO_ROLES.bot,
          type: 0,
          allow: (BigInt(SEND_MESSAGES) | BigInt(EMBED_LINKS) | (1n << 10n)).toString(),
          deny: (BigInt(ATTACH_FILES) | BigInt(READ_MESSAGE_HISTORY)).toString(),
        },
      ];
    });
    const result = await gateway().preflight(DEMO_GUILD_ID, ['admin']);
    expect(result.adminChannel).toEqual({ id: DEMO_CHANNELS.admin, name: 'admin' });
    expect(result.degradedReason).toBeUndefined();
    expect(result.adminChannelLimitations).toEqual([
      '#admin lacks Attach Files: a summary too long for three messages cannot be posted with its full list',
      '#admin lacks Read Message History: a summary part retried after a few minutes may be posted twice',
    ]);
  });
});

describe('isMember (integration)', () => {
  it('tells members from users who left or never existed', async () => {
    const discord = gateway();
    expect(await discord.isMember(DEMO_GUILD_ID, DEMO_MEMBERS.carol)).toBe(true);
    expect(await discord.isMember(DEMO_GUILD_ID, DEMO_OUTSIDER_ID)).toBe(false);
    expect(await discord.isMember(DEMO_GUILD_ID, UNKNOWN_ID)).toBe(false);
  });
});
