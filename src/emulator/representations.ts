// World objects rendered as Discord REST v10 JSON (snake_case, ids as strings, permissions as
// decimal strings). Typed against discord-api-types so the shapes track what discord.js expects,
// and checked against Discord's OpenAPI spec by test/contract (where the spec requires a field
// discord-api-types lacks, such as a guild's `nsfw` and `home_header`, it is added here).
import type {
  APIChannel,
  APIDMChannel,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  ChannelFlags,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  Locale,
  RESTAPIPartialCurrentUserGuild,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { attachmentJson } from './attachments';
import { computeBasePermissions } from './permissions';
import type { Channel, Guild, Member, Role, StoredMessage, User, World } from './world';

export function userJson(u: User): APIUser {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.globalName,
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export function currentUserJson(bot: User): APIUser {
  return { ...userJson(bot), verified: true, mfa_enabled: false, locale: 'en-US', email: null };
}

export function roleJson(r: Role): APIRole {
  return {
    id: r.id,
    name: r.name,
    color: r.color,
    colors: { primary_color: r.color, secondary_color: null, tertiary_color: null },
    hoist: r.hoist,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions.toString(),
    managed: false,
    mentionable: r.mentionable,
    flags: 0 as RoleFlags,
  };
}

/**
 * GET /guilds/{id}. `nsfw` and `home_header` are in Discord's spec (and its guild payloads) but not
 * in discord-api-types; `icon_hash` is not sent: the docs return it only in template objects.
 */
export function guildJson(g: Guild): APIGuild & { nsfw: boolean; home_header: string | null } {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    home_header: null,
    owner_id: g.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: g.roles.map(roleJson),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US' as Locale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw: false,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
  };
}

/** The partial guild of GET /users/@me/guilds, with the bot's guild-level permissions. */
export function partialGuildJson(g: Guild, userId: string): RESTAPIPartialCurrentUserGuild {
  const member = g.members.get(userId);
  const permissions = computeBasePermissions({
    guildId: g.id,
    ownerId: g.ownerId,
    userId,
    roles: g.roles,
    memberRoleIds: member?.roles ?? [],
  });
  return {
    id: g.id,
    name: g.name,
    icon: null,
    banner: null,
    owner: g.ownerId === userId,
    permissions: permissions.toString(),
    features: [],
  };
}

export function channelJson(c: Channel, world: World): APIChannel {
  if (c.recipientId !== null) {
    const recipient = world.users.get(c.recipientId);
    // No `name`: a DM has none in Discord's docs (their DM channel example) and spec
    // (PrivateChannelResponse), though discord-api-types declares `name: null`.
    const dm: Omit<APIDMChannel, 'name'> = {
      id: c.id,
      type: 1,
      last_message_id: c.lastMessageId,
      flags: 0 as ChannelFlags,
      recipients: recipient ? [userJson(recipient)] : [],
    };
    return dm as APIDMChannel;
  }
  return {
    id: c.id,
    type: c.type as 0,
    guild_id: c.guildId ?? undefined,
    name: c.name ?? '',
    position: c.position,
    flags: 0 as ChannelFlags,
    parent_id: null,
    topic: c.topic,
    nsfw: false,
    last_message_id: c.lastMessageId,
    rate_limit_per_user: 0,
    permission_overwrites: c.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
  };
}

export function memberJson(m: Member, user: User): APIGuildMember {
  return {
    user: userJson(user),
    nick: m.nick,
    avatar: null,
    banner: null,
    roles: m.roles,
    joined_at: m.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/**
 * A message as Discord returns it. `nonce` only where Discord echoes it: in the answer to the POST
 * that created the message (and the gateway's MESSAGE_CREATE). Discord does not store it, so a
 * message fetched later (GET /channels/{id}/messages) has none: its docs say the nonce "will
 * appear in the Message Create event", and fetched messages lack it (Rapptz/discord.py#2451).
 */
export function messageJson(m: StoredMessage, world: World, { withNonce = true } = {}): APIMessage {
  const author = world.users.get(m.authorId)!;
  const mentions = m.mentionIds.flatMap((id) => {
    const u = world.users.get(id);
    return u ? [userJson(u)] : [];
  });
  return {
    id: m.id,
    type: 0,
    // No guild_id: Discord's REST message object has none (docs and spec); the gateway's
    // MESSAGE_CREATE adds it.
    channel_id: m.channelId,
    author: userJson(author),
    content: m.content,
    timestamp: m.timestamp,
    edited_timestamp: null,
    tts: m.tts,
    mention_everyone: m.mentionEveryone,
    mentions,
    mention_roles: [],
    attachments: m.attachments.map(attachmentJson),
    embeds: m.embeds,
    pinned: false,
    flags: m.flags,
    components: [],
    ...(withNonce && m.nonce !== null ? { nonce: m.nonce } : {}),
  };
}
