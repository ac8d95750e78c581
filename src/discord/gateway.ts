/**
 * The cleanup's Discord gateway (src/discord/contract.ts) over discord.js REST: no gateway
 * connection, no cache but a small map of DM channels, so activities stay stateless and
 * scale over workers. One instance per worker process shares one REST client, and so one
 * rate-limit scheduler for all activities of the process.
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  RESTJSONErrorCodes,
  Routes,
  makeURLSearchParams,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type REST,
} from 'discord.js';
import type { DeliveryOutcome } from '../cleanup/model';
import { chooseAdminChannel } from './admin-channel';
import type {
  DiscordGateway,
  DiscordGatewayOptions,
  DmChannelDirectory,
  MessagePayload,
  PreflightResult,
} from './contract';
import { validateMessage } from './embeds/validate';
import { DiscordFailureType, isDiscordCode, redact, toActivityFailure } from './errors';
import { BoundedMap } from './bounded-map';
import { UndeliverableError, classifyUndeliverable } from './undeliverable';
import { toMessageRequest } from './message-request';
import { nonceFor } from './nonce';
import { compareSnowflakes, findInPage, snowflakeBefore } from './posted-message';
import { createRestClient } from './rest-client';

export interface CreateDiscordGatewayOptions extends DiscordGatewayOptions {
  /** This process's share of the 50 requests/s global limit (see rest-client.ts). */
  globalRequestsPerSecond?: number;
  /**
   * Where DM channel ids are remembered (saves one request per repeated DM); by default a
   * map of this process. The worker shares them through MongoDB (db/dm-channels.ts).
   */
  dmChannels?: DmChannelDirectory;
}

/** Discord's page size for `GET /channels/{id}/messages`. */
const MESSAGES_PER_PAGE = 100;
/**
 * How far findPostedMessage reads: the window starts at the first attempt of a send, so a
 * DM channel holds a handful of the bot's messages there, an admin channel rarely more
 * than a few hundred. Past this, the search gives up (null) rather than read a channel's
 * whole history within one activity attempt.
 */
const MAX_PAGES_SEARCHED = 20;

export function createDiscordGateway(options: CreateDiscordGatewayOptions): DiscordGateway {
  const rest = createRestClient(options);
  return new RestDiscordGateway(rest, options.dmChannels ?? memoryDirectory(10_000));
}

function memoryDirectory(capacity: number): DmChannelDirectory {
  const memory = new BoundedMap<string, string>(capacity);
  return {
    get: (userId) => Promise.resolve(memory.get(userId)),
    remember: (userId, channelId) => Promise.resolve(memory.set(userId, channelId)),
    forget: (userId) => Promise.resolve(memory.delete(userId)),
  };
}

class RestDiscordGateway implements DiscordGateway {
  /** The bot's own user id, read once (GET /users/@me) to recognise its messages. */
  private botUserId: Promise<string> | undefined;

  constructor(
    private readonly rest: REST,
    private readonly dmChannels: DmChannelDirectory,
  ) {}

  async preflight(guildId: string, adminChannelNames: string[]): Promise<PreflightResult> {
    const bot = await this.call(() => this.rest.get(Routes.user('@me')) as Promise<APIUser>);
    this.botUserId ??= Promise.resolve(bot.id);
    const guild = await this.guildCall(
      guildId,
      () => this.rest.get(Routes.guild(guildId)) as Promise<APIGuild>,
    );
    const [channels, roles, member] = await Promise.all([
      this.guildCall(guildId, () => this.rest.get(Routes.guildChannels(guildId)) as Promise<APIChannel[]>),
      this.guildCall(guildId, () => this.rest.get(Routes.guildRoles(guildId)) as Promise<APIRole[]>),
      this.guildCall(
        guildId,
        () => this.rest.get(Routes.guildMember(guildId, bot.id)) as Promise<APIGuildMember>,
      ),
    ]);

    const choice = chooseAdminChannel({
      guildId,
      guildOwnerId: guild.owner_id,
      botUserId: bot.id,
      botRoleIds: member.roles,
      channels,
      roles,
      adminChannelNames,
    });
    return { botUserId: bot.id, guildName: guild.name, ...choice };
  }

  async isMember(guildId: string, userId: string): Promise<boolean> {
    try {
      await this.rest.get(Routes.guildMember(guildId, userId));
      return true;
    } catch (error) {
      if (isDiscordCode(error, RESTJSONErrorCodes.UnknownMember, RESTJSONErrorCodes.UnknownUser))
        return false;
      throw toActivityFailure(error);
    }
  }

  async sendDirectMessage(
    userId: string,
    messages: MessagePayload[],
    idempotencyKey: string,
  ): Promise<DeliveryOutcome> {
    assertValid(messages);
    if (messages.length === 0) return { status: 'sent', messageIds: [] };
    const sent: string[] = [];
    const cached = await this.dmChannels.get(userId);
    try {
      try {
        await this.postAll(cached ?? (await this.openDm(userId)), messages, idempotencyKey, sent);
      } catch (error) {
        // A remembered DM channel can disappear; open it again once. Nonces make the
        // messages already posted come back instead of being posted twice.
        if (cached === undefined || !isDiscordCode(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
        await this.dmChannels.forget(userId);
        sent.length = 0;
        await this.postAll(await this.openDm(userId), messages, idempotencyKey, sent);
      }
      return { status: 'sent', messageIds: sent };
    } catch (error) {
      const reason = classifyUndeliverable(error);
      if (reason === null) throw toActivityFailure(error);
      await this.dmChannels.forget(userId);
      const progress = sent.length > 0 ? ` after ${sent.length} of ${messages.length} messages` : '';
      return { status: 'undeliverable', reason, detail: `${describeDiscordError(error)}${progress}` };
    }
  }

  async postToChannel(
    channelId: string,
    messages: MessagePayload[],
    idempotencyKey: string,
  ): Promise<string[]> {
    assertValid(messages);
    const sent: string[] = [];
    await this.call(() => this.postAll(channelId, messages, idempotencyKey, sent));
    return sent;
  }

  async dmChannelId(userId: string): Promise<string> {
    const known = await this.dmChannels.get(userId);
    if (known !== undefined) return known;
    try {
      return await this.openDm(userId);
    } catch (error) {
      const reason = classifyUndeliverable(error);
      if (reason !== null) throw new UndeliverableError(reason, describeDiscordError(error));
      throw toActivityFailure(error);
    }
  }

  async findPostedMessage(
    channelId: string,
    message: MessagePayload,
    notBefore: number,
  ): Promise<string | null> {
    return this.call(async () => {
      const botUserId = await this.ownUserId();
      let after = snowflakeBefore(notBefore);
      for (let page = 0; page < MAX_PAGES_SEARCHED; page++) {
        const messages = (await this.rest.get(Routes.channelMessages(channelId), {
          query: makeURLSearchParams({ after, limit: MESSAGES_PER_PAGE }),
        })) as APIMessage[];
        const found = findInPage(messages, message, botUserId);
        if (found !== null) return found;
        if (messages.length < MESSAGES_PER_PAGE) return null;
        // Discord returns a page newest first; the next page starts after the newest seen.
        after = messages.map((m) => m.id).sort(compareSnowflakes)[messages.length - 1]!;
      }
      return null;
    });
  }

  private async ownUserId(): Promise<string> {
    this.botUserId ??= (this.rest.get(Routes.user('@me')) as Promise<APIUser>).then((user) => user.id);
    try {
      return await this.botUserId;
    } catch (error) {
      this.botUserId = undefined; // not cached: the next call asks again
      throw error;
    }
  }

  private async openDm(userId: string): Promise<string> {
    const channel = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    await this.dmChannels.remember(userId, channel.id);
    return channel.id;
  }

  private async postAll(
    channelId: string,
    messages: MessagePayload[],
    idempotencyKey: string,
    sent: string[],
  ): Promise<void> {
    for (const [index, message] of messages.entries()) {
      const request = toMessageRequest(message, nonceFor(idempotencyKey, index));
      const created = (await this.rest.post(Routes.channelMessages(channelId), request)) as APIMessage;
      sent.push(created.id);
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toActivityFailure(error);
    }
  }

  /** A guild the bot cannot see fails the run with a clear reason; outages stay retryable. */
  private async guildCall<T>(guildId: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (
        isDiscordCode(
          error,
          RESTJSONErrorCodes.UnknownGuild,
          RESTJSONErrorCodes.MissingAccess,
          RESTJSONErrorCodes.UnknownMember,
        )
      ) {
        throw ApplicationFailure.create({
          type: DiscordFailureType.GuildUnreachable,
          nonRetryable: true,
          message: `The bot cannot reach guild ${guildId} (${describeDiscordError(error)}): check the guild id and that the bot is a member`,
        });
      }
      throw toActivityFailure(error);
    }
  }
}

/** Builders guarantee valid messages; a bad one is a bug, refused here rather than by Discord. */
function assertValid(messages: MessagePayload[]): void {
  messages.forEach((message, index) => {
    const problems = validateMessage(message);
    if (problems.length > 0) {
      throw ApplicationFailure.create({
        type: DiscordFailureType.InvalidRequest,
        nonRetryable: true,
        message: `Message ${index} breaks Discord's limits: ${problems.slice(0, 5).join('; ')}`,
      });
    }
  });
}

function describeDiscordError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'rawError' in error) {
    const raw = (error as { rawError: { message?: unknown } }).rawError;
    const message = typeof raw.message === 'string' ? raw.message : 'Discord error';
    return `${redact(message)} (${String((error as { code: unknown }).code)})`;
  }
  return 'Discord error';
}
