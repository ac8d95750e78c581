// The emulated Discord state: users, guilds (roles, channels, members), DM channels, messages.
// Everything the REST routes answer is computed from this, so errors follow real state.
import { DiscordError } from './errors';
import { computeChannelPermissions, type OverwriteLike } from './permissions';
import { seedSchema, type ParsedSeed, type WorldSeed } from './seed';
import { generateSnowflake } from './snowflake';
import type { APIEmbed } from 'discord.js';
import type { StoredAttachment } from './attachments';

export interface User {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  dmsClosed: boolean;
}

export interface Role {
  id: string;
  name: string;
  permissions: bigint;
  color: number;
  position: number;
  hoist: boolean;
  mentionable: boolean;
}

export interface Member {
  userId: string;
  nick: string | null;
  roles: string[];
  joinedAt: string;
}

export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  roles: Role[];
  members: Map<string, Member>;
  channelIds: string[];
}

export interface Channel {
  id: string;
  type: number;
  guildId: string | null;
  name: string | null;
  position: number;
  topic: string | null;
  overwrites: OverwriteLike[];
  /** For DM channels (type 1): the other user. */
  recipientId: string | null;
  lastMessageId: string | null;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  /** Set when the channel is a DM: the user the message went to. */
  recipientId: string | null;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  attachments: StoredAttachment[];
  nonce: string | number | null;
  mentionIds: string[];
  mentionEveryone: boolean;
  tts: boolean;
  flags: number;
  timestamp: string;
}

export const ChannelType = { GuildText: 0, DM: 1, GuildVoice: 2, GuildCategory: 4, GuildAnnouncement: 5 };

export class World {
  readonly users = new Map<string, User>();
  readonly guilds = new Map<string, Guild>();
  readonly channels = new Map<string, Channel>();
  readonly dmChannelByRecipient = new Map<string, string>();
  messages: StoredMessage[] = [];
  /** Every stored attachment by id, for serving its bytes. */
  readonly attachments = new Map<string, StoredAttachment>();

  private constructor(
    readonly bot: User,
    readonly token: string,
  ) {
    this.users.set(bot.id, bot);
  }

  /** Validates a seed (zod; throws a 400-style DiscordError on bad input) and builds the world. */
  static fromSeed(input: WorldSeed): World {
    const parsed = seedSchema.safeParse(input);
    if (!parsed.success) {
      throw new DiscordError(400, 50035, `Invalid seed: ${parsed.error.message}`);
    }
    return World.build(parsed.data);
  }

  private static build(seed: ParsedSeed): World {
    const botId = seed.bot.id ?? generateSnowflake();
    const token = seed.bot.token ?? fakeToken(botId);
    const world = new World(
      { id: botId, username: seed.bot.username, globalName: null, bot: true, dmsClosed: false },
      token,
    );
    for (const u of seed.users) {
      const id = u.id ?? generateSnowflake();
      world.users.set(id, {
        id,
        username: u.username,
        globalName: u.global_name ?? null,
        bot: u.bot ?? false,
        dmsClosed: u.dms_closed ?? false,
      });
    }
    // Discord's timestamp format (microseconds, +00:00), as in messages.
    const joinedAt = new Date().toISOString().replace('Z', '000+00:00');
    for (const g of seed.guilds) {
      const guildId = g.id ?? generateSnowflake();
      const roles: Role[] = g.roles.map((r, i) => ({
        id: r.id ?? generateSnowflake(),
        name: r.name,
        permissions: BigInt(r.permissions),
        color: r.color ?? 0,
        position: r.position ?? i + 1,
        hoist: r.hoist ?? false,
        mentionable: r.mentionable ?? false,
      }));
      // The @everyone role always exists and has the guild's id.
      if (!roles.some((r) => r.id === guildId || r.name === '@everyone')) {
        roles.unshift(everyoneRole(guildId, 0n));
      }
      for (const r of roles) if (r.name === '@everyone') Object.assign(r, { id: guildId, position: 0 });
      const guild: Guild = {
        id: guildId,
        name: g.name,
        ownerId: g.owner_id,
        roles,
        members: new Map(),
        channelIds: [],
      };
      for (const m of g.members) {
        if (!world.users.has(m.user_id))
          throw new DiscordError(400, 50035, `Invalid seed: member ${m.user_id} is not a user`);
        guild.members.set(m.user_id, { userId: m.user_id, nick: m.nick ?? null, roles: m.roles, joinedAt });
      }
      g.channels.forEach((c, i) => {
        const id = c.id ?? generateSnowflake();
        world.channels.set(id, {
          id,
          type: c.type,
          guildId,
          name: c.name,
          position: c.position ?? i,
          topic: c.topic ?? null,
          overwrites: c.permission_overwrites.map((o) => ({
            id: o.id === '@everyone' ? guildId : o.id,
            type: o.type,
            allow: BigInt(o.allow),
            deny: BigInt(o.deny),
          })),
          recipientId: null,
          lastMessageId: null,
        });
        guild.channelIds.push(id);
      });
      world.guilds.set(guildId, guild);
    }
    return world;
  }

  /** The world in seed form (ids filled in), so it can be inspected or posted back as a seed. */
  toSeed(): WorldSeed & { bot: { id: string; token: string } } {
    const users = [...this.users.values()].filter((u) => u.id !== this.bot.id);
    return {
      bot: { id: this.bot.id, username: this.bot.username, token: this.token },
      users: users.map((u) => ({
        id: u.id,
        username: u.username,
        global_name: u.globalName,
        bot: u.bot,
        dms_closed: u.dmsClosed,
      })),
      guilds: [...this.guilds.values()].map((g) => ({
        id: g.id,
        name: g.name,
        owner_id: g.ownerId,
        roles: g.roles.map((r) => ({
          id: r.id,
          name: r.name,
          permissions: r.permissions.toString(),
          color: r.color,
          position: r.position,
          hoist: r.hoist,
          mentionable: r.mentionable,
        })),
        channels: g.channelIds
          .map((id) => this.channels.get(id)!)
          .map((c) => ({
            id: c.id,
            name: c.name ?? '',
            type: c.type,
            position: c.position,
            topic: c.topic,
            permission_overwrites: c.overwrites.map((o) => ({
              id: o.id,
              type: o.type,
              allow: o.allow.toString(),
              deny: o.deny.toString(),
            })),
          })),
        members: [...g.members.values()].map((m) => ({ user_id: m.userId, nick: m.nick, roles: m.roles })),
      })),
    };
  }

  guildsOf(userId: string): Guild[] {
    return [...this.guilds.values()].filter((g) => g.members.has(userId));
  }

  sharesGuildWithBot(userId: string): boolean {
    return this.guildsOf(userId).some((g) => g.members.has(this.bot.id));
  }

  /** The bot's effective permissions in a guild channel (throws if the bot is not in the guild). */
  botPermissionsIn(channel: Channel): bigint {
    const guild = channel.guildId ? this.guilds.get(channel.guildId) : undefined;
    const member = guild?.members.get(this.bot.id);
    if (!guild || !member) return 0n;
    return computeChannelPermissions(
      {
        guildId: guild.id,
        ownerId: guild.ownerId,
        userId: this.bot.id,
        roles: guild.roles,
        memberRoleIds: member.roles,
      },
      channel.overwrites,
    );
  }

  /** Opening a DM is idempotent per recipient, as on Discord: the same channel id every time. */
  openDm(recipientId: string): Channel {
    const existing = this.dmChannelByRecipient.get(recipientId);
    if (existing) return this.channels.get(existing)!;
    const channel: Channel = {
      id: generateSnowflake(),
      type: ChannelType.DM,
      guildId: null,
      name: null,
      position: 0,
      topic: null,
      overwrites: [],
      recipientId,
      lastMessageId: null,
    };
    this.channels.set(channel.id, channel);
    this.dmChannelByRecipient.set(recipientId, channel.id);
    return channel;
  }

  /** Forget runtime state (messages, DM channels) but keep the seeded world. */
  clearRuntimeState(): void {
    this.messages = [];
    this.attachments.clear();
    for (const id of this.dmChannelByRecipient.values()) this.channels.delete(id);
    this.dmChannelByRecipient.clear();
    for (const c of this.channels.values()) c.lastMessageId = null;
  }
}

function everyoneRole(guildId: string, permissions: bigint): Role {
  return {
    id: guildId,
    name: '@everyone',
    permissions,
    color: 0,
    position: 0,
    hoist: false,
    mentionable: false,
  };
}

/** A token shaped like Discord's (base64 user id . timestamp . hmac); fake, for the emulator only. */
function fakeToken(botId: string): string {
  const random = Array.from(
    { length: 27 },
    () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'[Math.floor(Math.random() * 64)],
  ).join('');
  return `${Buffer.from(botId).toString('base64url')}.emulator.${random}`;
}
