// Integration tests: the Discord gateway over real HTTP against the Discord REST emulator,
// through discord.js's own REST client: preflight, DMs, nonce dedupe, faults and 429s.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordGateway, type CreateDiscordGatewayOptions } from '../../src/discord/gateway';
import { buildSummaryMessages, buildWarningMessages, validateMessage } from '../../src/discord/embeds';
import type { DiscordGateway, MessagePayload } from '../../src/discord/contract';
import { DiscordFailureType } from '../../src/discord/errors';
import {
  DEMO_BOT_ID,
  DEMO_CHANNELS,
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_ID,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_ROLES,
  demoWorldSeed,
  snowflakeAt,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../src/emulator';
import { warningCommands } from './embed-data';

const UNKNOWN_ID = snowflakeAt(Date.UTC(2024, 5, 1), 1);
const EMBED_LINKS = (1n << 14n).toString();
const SEND_MESSAGES = (1n << 11n).toString();

let emulator: DiscordEmulator;

beforeAll(async () => {
  emulator = await startDiscordEmulator();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.control.seed(demoWorldSeed());
});

/** A fresh gateway (and so a fresh discord.js rate-limit state) per test. */
function gateway(options: Partial<CreateDiscordGatewayOptions> = {}): DiscordGateway {
  return createDiscordGateway({
    token: emulator.token,
    apiUrl: emulator.apiUrl,
    timeoutMs: 5_000,
    ...options,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

const warning = (count = 2): MessagePayload[] =>
  buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(count) });

/** What Temporal does with an activity's failure: retry retryable ones after `nextRetryDelay`. */
async function withTemporalLikeRetries<T>(attempt: () => Promise<T>, maxAttempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApplicationFailure) || error.nonRetryable || i >= maxAttempts) throw error;
      const delay = typeof error.nextRetryDelay === 'number' ? error.nextRetryDelay : 100;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function seedWith(change: (seed: WorldSeed) => void): void {
  const seed = demoWorldSeed();
  change(seed);
  emulator.control.seed(seed);
}

/** Seeds the demo world plus `count` members with open DMs; returns their ids. */
function addMembers(count: number): string[] {
  const userIds = Array.from({ length: count }, (_, i) => snowflakeAt(Date.UTC(2024, 2, 1) + i, i));
  seedWith((seed) => {
    seed.users = [...(seed.users ?? []), ...userIds.map((id, i) => ({ id, username: `member${i}` }))];
    const guild = seed.guilds![0]!;
    guild.members = [...(guild.members ?? []), ...userIds.map((user_id) => ({ user_id }))];
  });
  return userIds;
}

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

  it('fails non-retryably with DiscordUnauthorized for a bad token, without leaking it', async () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.bad.not-the-right-token-at-all';
    const failure = await failureOf(gateway({ token }).preflight(DEMO_GUILD_ID, ['admin']));
    expect(failure.type).toBe(DiscordFailureType.Unauthorized);
    expect(failure.nonRetryable).toBe(true);
    expect(JSON.stringify({ m: failure.message, d: failure.details })).not.toContain(token);
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

describe('sendDirectMessage (integration)', () => {
  it('delivers every message, with a nonce, to the user', async () => {
    const messages = warning(300); // several messages
    expect(messages.length).toBeGreaterThan(1);
    const outcome = await gateway().sendDirectMessage(DEMO_MEMBERS.carol, messages, 'warning:carol:run-1');
    expect(outcome.status).toBe('sent');
    const stored = emulator.control.messages({ recipientId: DEMO_MEMBERS.carol });
    expect(stored).toHaveLength(messages.length);
    expect(outcome).toEqual({ status: 'sent', messageIds: stored.map((m) => m.id) });
    expect(stored.map((m) => m.embeds)).toMatchObject(messages.map((m) => m.embeds!));
    expect(stored.every((m) => typeof m.nonce === 'string' && m.nonce.length <= 25)).toBe(true);
  });

  it('returns undeliverable for closed DMs, a user sharing no guild, and an unknown user', async () => {
    const discord = gateway();
    expect(await discord.sendDirectMessage(DEMO_DMS_CLOSED_USER_ID, warning(), 'k1')).toMatchObject({
      status: 'undeliverable',
      reason: 'dms-closed',
    });
    expect(await discord.sendDirectMessage(DEMO_OUTSIDER_ID, warning(), 'k2')).toMatchObject({
      status: 'undeliverable',
      reason: 'dms-closed',
    });
    expect(await discord.sendDirectMessage(UNKNOWN_ID, warning(), 'k3')).toMatchObject({
      status: 'undeliverable',
      reason: 'unknown-user',
    });
    expect(emulator.control.messages()).toHaveLength(0);
  });

  it('recognises 50278 (no mutual guild) as closed DMs too', async () => {
    emulator.control.configure({ noMutualGuildCode: 50278 });
    try {
      expect(await gateway().sendDirectMessage(DEMO_OUTSIDER_ID, warning(), 'k')).toMatchObject({
        status: 'undeliverable',
        reason: 'dms-closed',
      });
    } finally {
      emulator.control.configure({ noMutualGuildCode: 50007 });
    }
  });

  it('stores one message when a send is repeated with the same key (nonce)', async () => {
    const discord = gateway();
    const messages = warning();
    const first = await discord.sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-1');
    const again = await gateway().sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-1');
    expect(again).toEqual(first);
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })).toHaveLength(messages.length);
    // Another key is another notification.
    await discord.sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-2');
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })).toHaveLength(2 * messages.length);
  });

  it('does not duplicate a message whose answer was lost (500 after storing), once retried', async () => {
    emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'error',
      status: 500,
      when: 'after',
    });
    const discord = gateway();
    const failure = await failureOf(
      discord.sendDirectMessage(DEMO_MEMBERS.frank, warning(), 'warning:frank:run-1'),
    );
    expect(failure.type).toBe(DiscordFailureType.ServerError);
    expect(failure.nonRetryable).toBe(false);
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.frank })).toHaveLength(1);

    const outcome = await discord.sendDirectMessage(DEMO_MEMBERS.frank, warning(), 'warning:frank:run-1');
    expect(outcome.status).toBe('sent');
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.frank })).toHaveLength(1);
  });

  it.each([500, 502])(
    'surfaces a %i as a retryable failure, discord.js not retrying on its own',
    async (status) => {
      emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind: 'error', status });
      const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.bob, warning(), 'k'));
      expect(failure.type).toBe(DiscordFailureType.ServerError);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.message).toContain(String(status));
      expect(emulator.control.counterSnapshot().perStatus[String(status)]).toBe(1);
    },
  );

  it('surfaces connection resets and timeouts as retryable failures', async () => {
    emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind: 'reset' });
    const reset = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.bob, warning(), 'k'));
    expect(reset.type).toBe(DiscordFailureType.NetworkError);
    expect(reset.nonRetryable).toBe(false);

    emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'hang',
      hangMs: 3_000,
    });
    const timeout = await failureOf(
      gateway({ timeoutMs: 300 }).sendDirectMessage(DEMO_MEMBERS.bob, warning(), 'k'),
    );
    expect(timeout.type).toBe(DiscordFailureType.Timeout);
    expect(timeout.nonRetryable).toBe(false);
  });

  it('reopens a remembered DM channel that no longer exists', async () => {
    const discord = gateway();
    await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'a');
    emulator.control.reset(); // forgets DM channels: the cached id is now unknown (10003)
    const outcome = await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'b');
    expect(outcome.status).toBe('sent');
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.carol })).toHaveLength(1);
  });

  it('refuses a message over the limits before calling Discord', async () => {
    const tooLong: MessagePayload = { content: 'x'.repeat(2001) };
    expect(validateMessage(tooLong)).not.toEqual([]);
    const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.carol, [tooLong], 'k'));
    expect(failure.type).toBe(DiscordFailureType.InvalidRequest);
    expect(failure.nonRetryable).toBe(true);
    expect(emulator.control.counterSnapshot().requestsTotal).toBe(0);
  });
});

describe('postToChannel (integration)', () => {
  const summary = () =>
    buildSummaryMessages({
      guildName: DEMO_GUILD_NAME,
      dryRun: false,
      warnedCreators: 1,
      warnedCommands: 2,
      deletedCommands: 0,
      failedDeliveries: [{ creatorId: DEMO_DMS_CLOSED_USER_ID, phase: 'warning', reason: 'dms-closed' }],
      stats: { activeCommands: 5, creators: 2, pendingDeletions: 2 },
      durationMs: 1234,
      nextRunAt: new Date('2030-01-01T03:00:00Z'),
      skippedInvalidDocuments: 0,
    });

  it('posts the summary to the admin channel once per key', async () => {
    const discord = gateway();
    const ids = await discord.postToChannel(DEMO_CHANNELS.admin, summary(), 'summary:run-1');
    expect(await discord.postToChannel(DEMO_CHANNELS.admin, summary(), 'summary:run-1')).toEqual(ids);
    const stored = emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    expect(stored.map((m) => m.id)).toEqual(ids);
    expect(stored[0]!.embeds[0]).toMatchObject({ title: expect.stringContaining('Summary') as unknown });
  });

  it('fails non-retryably where the bot may not post', async () => {
    seedWith((seed) => {
      const admin = seed.guilds![0]!.channels!.find((c) => c.name === 'admin')!;
      admin.permission_overwrites = admin.permission_overwrites!.filter((o) => o.id !== DEMO_ROLES.bot);
    });
    const failure = await failureOf(gateway().postToChannel(DEMO_CHANNELS.admin, summary(), 'k'));
    expect(failure.type).toBe(DiscordFailureType.Forbidden);
    expect(failure.nonRetryable).toBe(true);
  });
});

describe('rate limits (integration)', () => {
  it('turns an actual 429 into a retryable failure carrying Retry-After', async () => {
    emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'rate-limit',
      retryAfter: 2,
    });
    const started = Date.now();
    const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'k'));
    expect(Date.now() - started).toBeLessThan(1_500); // not slept inside the call
    expect(failure.type).toBe(DiscordFailureType.RateLimited);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeGreaterThanOrEqual(2_000);
    expect(failure.nextRetryDelay).toBeLessThan(2_500);
  });

  it('retries "opening DMs too fast" (40003) after a delay instead of giving up', async () => {
    emulator.control.configure({ dmOpenTooFast: { limit: 1, windowMs: 60_000 } });
    try {
      const discord = gateway();
      expect((await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'a')).status).toBe('sent');
      const failure = await failureOf(discord.sendDirectMessage(DEMO_MEMBERS.erin, warning(), 'b'));
      expect(failure.type).toBe(DiscordFailureType.RateLimited);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.nextRetryDelay).toBe(10_000);
      // The DM channel of a user already messaged is remembered: no new open, no 40003.
      expect((await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'c')).status).toBe('sent');
    } finally {
      emulator.control.configure({ dmOpenTooFast: null });
    }
  });

  it('waits pre-emptively on a learnt route bucket instead of failing (5 messages per 5 s per channel)', async () => {
    const messages = Array.from({ length: 7 }, (_, i) => ({ content: `line ${i}` }));
    const started = Date.now();
    const ids = await gateway().postToChannel(DEMO_CHANNELS.admin, messages, 'burst');
    expect(ids).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(emulator.control.counterSnapshot().rateLimited.total).toBe(0);
  });

  it('keeps to the global 50/s pre-emptively: 75 DMs (150 requests) at once, no failure, no 429', async () => {
    const userIds = addMembers(75);
    const discord = gateway();
    const started = Date.now();
    const outcomes = await Promise.all(
      userIds.map((id) => discord.sendDirectMessage(id, [{ content: 'hello' }], `k:${id}`)),
    );
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(1_900); // three windows of 50
    const counters = emulator.control.counterSnapshot();
    expect(counters.requestsTotal).toBe(150);
    expect(counters.rateLimited.total).toBe(0);
    expect(counters.peakRequestsPerWindow).toBeLessThanOrEqual(50);
  });

  it('survives a 429 storm (Discord allowing fewer requests than assumed): all delivered once', async () => {
    const userIds = addMembers(60);
    emulator.control.configure({ globalRateLimitPerSecond: 20 });
    try {
      const discord = gateway();
      const messages = warning(1);
      const outcomes = await Promise.all(
        userIds.map((id) =>
          withTemporalLikeRetries(() => discord.sendDirectMessage(id, messages, `warning:${id}:storm`)),
        ),
      );
      expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
      for (const id of userIds) expect(emulator.control.messages({ recipientId: id })).toHaveLength(1);
      const counters = emulator.control.counterSnapshot();
      // Each 429 blocks the whole client until Retry-After: a handful per window, never one per request.
      expect(counters.rateLimited.global).toBeGreaterThan(0);
      expect(counters.rateLimited.total).toBeLessThan(counters.requestsTotal / 2);
    } finally {
      emulator.control.configure({ globalRateLimitPerSecond: 50 });
    }
  });
});
