// The demo world: one guild with an admin channel that only a role (which the bot has) can
// see, a bot-logs channel where only the bot may write, a general channel, six members (one with
// DMs closed) and one user who shares no guild with the bot. Ids are fixed real snowflakes
// (January 2024) so the product's demo and docs can refer to them.
import type { WorldSeed } from './seed';

export const DEMO_GUILD_ID = '1196423538278531072';
export const DEMO_GUILD_NAME = 'Demo Guild';
export const DEMO_BOT_ID = '1196423542472835073';
/** A fake token, valid against the emulator only. */
export const DEMO_BOT_TOKEN = 'MTE5NjQyMzU0MjQ3MjgzNTA3Mw.emulator.demo-token-not-valid-on-discord';

export const DEMO_ROLES = {
  everyone: DEMO_GUILD_ID,
  bot: '1196423546667139074',
  moderator: '1196423550861443075',
} as const;

export const DEMO_CHANNELS = {
  general: '1196423555055747076',
  admin: '1196423559250051077',
  botLogs: '1196423563444355078',
} as const;

export const DEMO_MEMBERS = {
  alice: '1196423567638659079',
  bob: '1196423571832963080',
  carol: '1196423576027267081',
  dave: '1196423580221571082',
  erin: '1196423584415875083',
  frank: '1196423588610179084',
} as const;

/** The guild owner. */
export const DEMO_OWNER_ID = DEMO_MEMBERS.alice;
/** A member who has DMs from server members closed: DMs to him fail with 50007. */
export const DEMO_DMS_CLOSED_USER_ID = DEMO_MEMBERS.dave;
/** A user who shares no guild with the bot: DMs fail with 50007. */
export const DEMO_OUTSIDER_ID = '1196423592804483085';

const bits = (...flags: bigint[]): string => flags.reduce((a, b) => a | b, 0n).toString();
const ADD_REACTIONS = 1n << 6n;
const VIEW_CHANNEL = 1n << 10n;
const SEND_MESSAGES = 1n << 11n;
const MANAGE_MESSAGES = 1n << 13n;
const EMBED_LINKS = 1n << 14n;
const ATTACH_FILES = 1n << 15n;
const READ_MESSAGE_HISTORY = 1n << 16n;
const KICK_MEMBERS = 1n << 1n;

export function demoWorldSeed(): WorldSeed {
  const user = (id: string, username: string, global_name: string, dms_closed = false) => ({
    id,
    username,
    global_name,
    dms_closed,
  });
  return {
    bot: { id: DEMO_BOT_ID, username: 'Cleanup Bot', token: DEMO_BOT_TOKEN },
    users: [
      user(DEMO_MEMBERS.alice, 'alice', 'Alice Owner'),
      user(DEMO_MEMBERS.bob, 'bob', 'Bob Moderator'),
      user(DEMO_MEMBERS.carol, 'carol', 'Carol'),
      user(DEMO_MEMBERS.dave, 'dave', 'Dave (DMs closed)', true),
      user(DEMO_MEMBERS.erin, 'erin', 'Erin'),
      user(DEMO_MEMBERS.frank, 'frank', 'Frank'),
      user(DEMO_OUTSIDER_ID, 'outsider', 'Olivia Outsider'),
    ],
    guilds: [
      {
        id: DEMO_GUILD_ID,
        name: DEMO_GUILD_NAME,
        owner_id: DEMO_OWNER_ID,
        roles: [
          {
            id: DEMO_ROLES.everyone,
            name: '@everyone',
            permissions: bits(VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY, ADD_REACTIONS),
          },
          {
            id: DEMO_ROLES.bot,
            name: 'Cleanup Bot',
            position: 2,
            color: 0x5865f2,
            // Attach Files: the bot may post charts and reports as files.
            permissions: bits(VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY),
          },
          {
            id: DEMO_ROLES.moderator,
            name: 'Moderator',
            position: 1,
            color: 0x2ecc71,
            hoist: true,
            permissions: bits(VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, KICK_MEMBERS, EMBED_LINKS),
          },
        ],
        channels: [
          { id: DEMO_CHANNELS.general, name: 'general', type: 0, topic: 'Anything goes' },
          {
            id: DEMO_CHANNELS.admin,
            name: 'admin',
            type: 0,
            topic: 'Moderators only: cleanup summaries land here',
            // Hidden from @everyone; the bot sees it only through its role's overwrite.
            permission_overwrites: [
              { id: '@everyone', type: 0, allow: '0', deny: bits(VIEW_CHANNEL) },
              { id: DEMO_ROLES.moderator, type: 0, allow: bits(VIEW_CHANNEL, SEND_MESSAGES), deny: '0' },
              {
                id: DEMO_ROLES.bot,
                type: 0,
                allow: bits(VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS),
                deny: '0',
              },
            ],
          },
          {
            id: DEMO_CHANNELS.botLogs,
            name: 'bot-logs',
            type: 0,
            topic: 'Read-only log of what the bot did',
            permission_overwrites: [
              { id: '@everyone', type: 0, allow: '0', deny: bits(SEND_MESSAGES) },
              { id: DEMO_ROLES.bot, type: 0, allow: bits(SEND_MESSAGES, EMBED_LINKS), deny: '0' },
            ],
          },
        ],
        members: [
          { user_id: DEMO_BOT_ID, roles: [DEMO_ROLES.bot] },
          { user_id: DEMO_MEMBERS.alice, roles: [DEMO_ROLES.moderator] },
          { user_id: DEMO_MEMBERS.bob, roles: [DEMO_ROLES.moderator], nick: 'Bobby' },
          { user_id: DEMO_MEMBERS.carol, roles: [] },
          { user_id: DEMO_MEMBERS.dave, roles: [] },
          { user_id: DEMO_MEMBERS.erin, roles: [] },
          { user_id: DEMO_MEMBERS.frank, roles: [] },
        ],
      },
    ],
  };
}
