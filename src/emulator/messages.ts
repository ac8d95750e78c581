// Creating messages: access and permission checks from the world's state, validation, the
// enforce_nonce dedupe, attachments, and storage.
import { buildAttachments, resolveAttachmentUrls, type StoredAttachment } from './attachments';
import { Errors } from './errors';
import type { EmulatorConfig } from './config';
import { has, Permission } from './permissions';
import type { UploadedFile } from './request-body';
import { generateSnowflake } from './snowflake';
import { parseCreateMessage, type MessageDraft } from './validation';
import { ChannelType, type Channel, type StoredMessage, type World } from './world';

/** One create-message request: its JSON (or payload_json), its files, and where attachments are served. */
export interface MessageRequest {
  body: unknown;
  files: UploadedFile[];
  /** The emulator's own URL, the base of attachment URLs. */
  baseUrl: string;
}

export const TEXT_CHANNEL_TYPES = new Set([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildAnnouncement,
]);

/** Remembers (author, channel, nonce) → message for nonces sent with enforce_nonce: true. */
export class NonceStore {
  private readonly entries = new Map<string, { messageId: string; at: number }>();

  constructor(public windowMs: number) {}

  find(key: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.messageId;
  }

  remember(key: string, messageId: string, now: number): void {
    this.entries.set(key, { messageId, at: now });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** POST /channels/{id}/messages as the bot. Returns the stored message (new, or the original for a repeated nonce). */
export function createMessage(
  world: World,
  nonces: NonceStore,
  config: EmulatorConfig,
  channelId: string,
  request: MessageRequest,
  now: number,
): StoredMessage {
  const channel = world.channels.get(channelId);
  if (!channel) throw Errors.unknownChannel();
  const embedsAllowed = checkChannelAccess(world, channel, request.files.length > 0);
  const draft = parseCreateMessage(request.body, request.files.length);
  if (!embedsAllowed && draft.embeds.length > 0) {
    // Discord answers 403 for an embed-only message without Embed Links, and otherwise sends
    // the message with its embeds suppressed (discord/discord-api-docs#2601).
    if (draft.content.trim() === '' && request.files.length === 0) throw Errors.missingPermissions();
    draft.embeds = [];
  }
  const attachments = buildAttachments(request.files, draft.attachments, channel.id, request.baseUrl, now);

  // The same dedupe whether the body came as JSON or as multipart: a repeat stores no new files.
  const nonceKey =
    draft.enforceNonce && draft.nonce !== null ? `${world.bot.id}:${channel.id}:${draft.nonce}` : null;
  if (nonceKey) {
    const originalId = nonces.find(nonceKey, now);
    const original = originalId && world.messages.find((m) => m.id === originalId);
    if (original) return original;
  }

  if (channel.recipientId !== null) checkCanDm(world, config, channel.recipientId);

  const message = store(world, channel, draft, attachments, now);
  if (nonceKey) nonces.remember(nonceKey, message.id, now);
  return message;
}

/** Throws Discord's error when the bot may not post here; returns whether embeds are allowed. */
function checkChannelAccess(world: World, channel: Channel, withFiles: boolean): boolean {
  if (channel.guildId === null) return true;
  const guild = world.guilds.get(channel.guildId);
  if (!guild?.members.has(world.bot.id)) throw Errors.missingAccess();
  const permissions = world.botPermissionsIn(channel);
  if (!has(permissions, Permission.ViewChannel)) throw Errors.missingAccess();
  if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw Errors.nonTextChannel();
  if (!has(permissions, Permission.SendMessages)) throw Errors.missingPermissions();
  // Uploading in a guild channel takes Attach Files as well (DMs have no permissions).
  if (withFiles && !has(permissions, Permission.AttachFiles)) throw Errors.missingPermissions();
  return has(permissions, Permission.EmbedLinks);
}

function checkCanDm(world: World, config: EmulatorConfig, recipientId: string): void {
  const recipient = world.users.get(recipientId);
  if (!recipient || recipient.dmsClosed) throw Errors.cannotMessageUser();
  if (!world.sharesGuildWithBot(recipientId)) {
    throw config.noMutualGuildCode === 50278 ? Errors.noMutualGuilds() : Errors.cannotMessageUser();
  }
}

function store(
  world: World,
  channel: Channel,
  draft: MessageDraft,
  attachments: StoredAttachment[],
  now: number,
): StoredMessage {
  const { mentionIds, mentionEveryone } = resolveMentions(world, draft);
  const message: StoredMessage = {
    id: generateSnowflake(now),
    channelId: channel.id,
    guildId: channel.guildId,
    recipientId: channel.recipientId,
    authorId: world.bot.id,
    content: draft.content,
    embeds: resolveAttachmentUrls(draft.embeds, attachments),
    attachments,
    nonce: draft.nonce,
    mentionIds,
    mentionEveryone,
    tts: draft.tts,
    flags: draft.flags,
    timestamp: new Date(now).toISOString().replace('Z', '000+00:00'),
  };
  world.messages.push(message);
  for (const a of attachments) world.attachments.set(a.id, a);
  channel.lastMessageId = message.id;
  return message;
}

/** Which user mentions in the content ping, given allowed_mentions (absent: all of them). */
function resolveMentions(
  world: World,
  draft: MessageDraft,
): { mentionIds: string[]; mentionEveryone: boolean } {
  const am = draft.allowedMentions;
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const parse = list(am?.parse);
  const mentioned = [...draft.content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!);
  const mentionIds = [...new Set(mentioned)].filter(
    (id) => world.users.has(id) && (!am || parse.includes('users') || list(am.users).includes(id)),
  );
  const mentionEveryone = /@(everyone|here)/.test(draft.content) && (!am || parse.includes('everyone'));
  return { mentionIds, mentionEveryone };
}
