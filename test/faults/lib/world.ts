/**
 * The Discord side of a scenario: an emulator world with one guild of its own (the
 * guild id keys schedules and workflow ids on the shared Temporal server, so two
 * scenarios never meet), an admin channel the bot may post in, and the creators as
 * members with DMs open. The bot token is made up per suite run and looks like a real
 * one, so the log check searches for something no code path could print by accident.
 */
import { randomBytes } from 'node:crypto';
import type { WorldSeed } from '../../../src/emulator';

const bits = (...flags: bigint[]): string => flags.reduce((a, b) => a | b, 0n).toString();
const VIEW_CHANNEL = 1n << 10n;
const SEND_MESSAGES = 1n << 11n;
const EMBED_LINKS = 1n << 14n;
const ATTACH_FILES = 1n << 15n;
const READ_MESSAGE_HISTORY = 1n << 16n;

export const BOT_ID = '1290000000000000001';

/** `<base64 bot id>.<6 random>.<38 random>`: the shape of a Discord bot token, random per run. */
export function makeBotToken(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64url');
  return `${Buffer.from(BOT_ID).toString('base64url')}.${part(5).slice(0, 6)}.${part(30).slice(0, 38)}`;
}

/** Real-looking snowflakes (discord.js buckets only 17-19 digit ids): one range per scenario. */
export function snowflakes(scenario: number, kind: number, count: number): string[] {
  const base = 1290000000000000000n + BigInt(scenario) * 10_000_000_000n + BigInt(kind) * 100_000_000n;
  return Array.from({ length: count }, (_, i) => String(base + BigInt(i)));
}

export interface ScenarioWorld {
  guildId: string;
  guildName: string;
  adminChannelId: string;
  ownerId: string;
  seed: WorldSeed;
}

export function scenarioWorld(scenario: number, token: string, creatorIds: string[]): ScenarioWorld {
  const [guildId, botRoleId, adminChannelId, ownerId] = snowflakes(scenario, 0, 4) as [
    string,
    string,
    string,
    string,
  ];
  const guildName = `Fault Guild ${scenario}`;
  const seed: WorldSeed = {
    bot: { id: BOT_ID, username: 'Cleanup Bot', token },
    users: [ownerId, ...creatorIds].map((id) => ({
      id,
      username: `user${id.slice(-6)}`,
      global_name: `User ${id.slice(-6)}`,
      dms_closed: false,
    })),
    guilds: [
      {
        id: guildId,
        name: guildName,
        owner_id: ownerId,
        roles: [
          { id: guildId, name: '@everyone', permissions: bits(VIEW_CHANNEL, SEND_MESSAGES) },
          {
            id: botRoleId,
            name: 'Cleanup Bot',
            position: 1,
            permissions: bits(VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY),
          },
        ],
        channels: [
          {
            id: adminChannelId,
            name: 'admin',
            type: 0,
            permission_overwrites: [
              { id: '@everyone', type: 0, allow: '0', deny: bits(VIEW_CHANNEL) },
              { id: botRoleId, type: 0, allow: bits(VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS), deny: '0' },
            ],
          },
        ],
        members: [
          { user_id: BOT_ID, roles: [botRoleId] },
          { user_id: ownerId, roles: [] },
          ...creatorIds.map((id) => ({ user_id: id, roles: [] })),
        ],
      },
    ],
  };
  return { guildId, guildName, adminChannelId, ownerId, seed };
}
