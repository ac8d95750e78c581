/**
 * What the cleanup needs from Discord, over REST only (no gateway): preflight
 * checks, DMs and admin channel posts, each idempotent through Discord's nonce.
 * Implemented by `createDiscordGateway(options)` (gateway.ts).
 */
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DeliveryOutcome } from '../cleanup/model';

/** A file attached to a message (sent as multipart form data, `files[n]`). */
export interface MessageFile {
  /** The file name Discord shows, e.g. `commands.txt`; unique within a message. */
  name: string;
  /** e.g. `text/plain; charset=utf-8`. */
  contentType: string;
  data: Buffer;
}

/** One message to send; `allowed_mentions` is always forced to parse nothing. */
export type MessagePayload = Pick<RESTPostAPIChannelMessageJSONBody, 'content' | 'embeds'> & {
  files?: MessageFile[];
};

export interface DiscordGatewayOptions {
  token: string;
  /** discord.js REST `api` option, e.g. `https://discord.com/api` or the emulator's `http://127.0.0.1:8787/api`. */
  apiUrl: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

/**
 * Where the gateway remembers each user's DM channel id (Discord's answer to
 * POST /users/@me/channels never changes for a user and a bot). The worker keeps them in
 * MongoDB, shared by every worker and kept across restarts; a failure to read or write it
 * costs one request, never a DM.
 */
export interface DmChannelDirectory {
  get(userId: string): Promise<string | undefined>;
  remember(userId: string, channelId: string): Promise<void>;
  /** The channel is gone, or the user cannot be reached: ask Discord again next time. */
  forget(userId: string): Promise<void>;
}

export interface AdminChannel {
  id: string;
  name: string;
}

export interface PreflightResult {
  botUserId: string;
  guildName: string;
  /** The first admin channel (in the configured order) where the bot may post embeds; absent when none. */
  adminChannel?: AdminChannel;
  /** Why the summary cannot be posted (missing channel or permissions); absent when it can. */
  degradedReason?: string;
  /**
   * What the admin channel lacks that a summary needs only sometimes (Attach Files for a
   * list too long for three messages, Read Message History for exactly-once past the
   * nonce window), each with its consequence; absent when nothing is missing. Worth a log line.
   */
  adminChannelLimitations?: string[];
}

export interface DiscordGateway {
  /**
   * Token valid (GET /users/@me), guild reachable (GET /guilds/{id}), admin channel
   * resolved by name and the bot's permissions in it computed (View Channel, Send
   * Messages, Embed Links) from roles and overwrites. Throws a non-retryable
   * ApplicationFailure (type 'DiscordUnauthorized' or 'GuildUnreachable') with a clear
   * reason when the token or guild fails; missing admin permissions only degrade.
   */
  preflight(guildId: string, adminChannelNames: string[]): Promise<PreflightResult>;
  /** Whether the user is (still) a member of the guild: false on 10007 Unknown Member / 10013. */
  isMember(guildId: string, userId: string): Promise<boolean>;
  /**
   * Opens (or reuses) the DM channel and posts each message with a nonce derived from
   * `idempotencyKey` and the message index, `enforce_nonce: true`. Permanent failures
   * (50007, 50278, 10013) return `undeliverable`; transient ones throw (see errors.ts).
   */
  sendDirectMessage(
    userId: string,
    messages: MessagePayload[],
    idempotencyKey: string,
  ): Promise<DeliveryOutcome>;
  /** Posts to a guild channel, same nonce rule; returns the message ids. */
  postToChannel(channelId: string, messages: MessagePayload[], idempotencyKey: string): Promise<string[]>;
  /**
   * The user's DM channel id: remembered, else opened (POST /users/@me/channels, which
   * returns the existing channel). With `findPostedMessage`, lets a retry find a DM part
   * already delivered. A user who cannot be DMed (unknown, DMs closed, no mutual guild)
   * throws an `UndeliverableError` with the reason; other failures throw as from
   * `sendDirectMessage` (see errors.ts).
   */
  dmChannelId(userId: string): Promise<string>;
  /**
   * Exactly-once beyond Discord's nonce window (a few minutes): the id of a message the
   * bot posted in the channel at or after `notBefore` (ms since the epoch) that looks like
   * `message` (same content, same embed titles and descriptions in order, same attachment
   * file names), or null when there is none. Read from `GET /channels/{id}/messages`
   * (needs Read Message History in a guild channel).
   */
  findPostedMessage(channelId: string, message: MessagePayload, notBefore: number): Promise<string | null>;
}
