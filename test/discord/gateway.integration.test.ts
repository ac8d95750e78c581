// Integration tests: the Discord gateway's DMs and posts over real HTTP against the Discord
// REST emulator, through discord.js's own REST client: delivery, nonce dedupe, faults.
// Preflight, rate limits and files have their own files (preflight, rate-limits, attachments).
import { describe, expect, it } from 'vitest';
import { buildSummaryMessages, buildWarningMessages, validateMessage } from '../../src/discord/embeds';
import type { MessagePayload } from '../../src/discord/contract';
import { DiscordFailureType } from '../../src/discord/errors';
import {
  DEMO_CHANNELS,
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_ROLES,
  snowflakeAt,
} from '../../src/emulator';
import { warningCommands } from './embed-data';
import { failureOf, useEmulator } from './emulator-harness';

const UNKNOWN_ID = snowflakeAt(Date.UTC(2024, 5, 1), 1);

const harness = useEmulator();
const { gateway } = harness;

const warning = (count = 2): MessagePayload[] =>
  buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(count) });

describe('sendDirectMessage (integration)', () => {
  it('delivers every message, with a nonce, to the user', async () => {
    const messages = warning(100); // several messages, no file (see attachments.integration.test.ts)
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.some((m) => m.files)).toBe(false);
    const outcome = await gateway().sendDirectMessage(DEMO_MEMBERS.carol, messages, 'warning:carol:run-1');
    expect(outcome.status).toBe('sent');
    const stored = harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol });
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
    expect(harness.emulator.control.messages()).toHaveLength(0);
  });

  it('recognises 50278 (no mutual guild) as a creator who left', async () => {
    harness.emulator.control.configure({ noMutualGuildCode: 50278 });
    try {
      expect(await gateway().sendDirectMessage(DEMO_OUTSIDER_ID, warning(), 'k')).toMatchObject({
        status: 'undeliverable',
        reason: 'left-guild',
      });
    } finally {
      harness.emulator.control.configure({ noMutualGuildCode: 50007 });
    }
  });

  it('stores one message when a send is repeated with the same key (nonce)', async () => {
    const discord = gateway();
    const messages = warning();
    const first = await discord.sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-1');
    const again = await gateway().sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-1');
    expect(again).toEqual(first);
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })).toHaveLength(
      messages.length,
    );
    // Another key is another notification.
    await discord.sendDirectMessage(DEMO_MEMBERS.erin, messages, 'warning:erin:run-2');
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })).toHaveLength(
      2 * messages.length,
    );
  });

  it('does not duplicate a message whose answer was lost (500 after storing), once retried', async () => {
    harness.emulator.control.addFault({
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
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.frank })).toHaveLength(1);

    const outcome = await discord.sendDirectMessage(DEMO_MEMBERS.frank, warning(), 'warning:frank:run-1');
    expect(outcome.status).toBe('sent');
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.frank })).toHaveLength(1);
  });

  it.each([500, 502])(
    'surfaces a %i as a retryable failure, discord.js not retrying on its own',
    async (status) => {
      harness.emulator.control.addFault({
        method: 'POST',
        path: '/channels/:id/messages',
        kind: 'error',
        status,
      });
      const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.bob, warning(), 'k'));
      expect(failure.type).toBe(DiscordFailureType.ServerError);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.message).toContain(String(status));
      expect(harness.emulator.control.counterSnapshot().perStatus[String(status)]).toBe(1);
    },
  );

  it('surfaces connection resets and timeouts as retryable failures', async () => {
    harness.emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind: 'reset' });
    const reset = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.bob, warning(), 'k'));
    expect(reset.type).toBe(DiscordFailureType.NetworkError);
    expect(reset.nonRetryable).toBe(false);

    harness.emulator.control.addFault({
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
    harness.emulator.control.reset(); // forgets DM channels: the cached id is now unknown (10003)
    const outcome = await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'b');
    expect(outcome.status).toBe('sent');
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol })).toHaveLength(1);
  });

  it('refuses a message over the limits before calling Discord', async () => {
    const tooLong: MessagePayload = { content: 'x'.repeat(2001) };
    expect(validateMessage(tooLong)).not.toEqual([]);
    const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.carol, [tooLong], 'k'));
    expect(failure.type).toBe(DiscordFailureType.InvalidRequest);
    expect(failure.nonRetryable).toBe(true);
    expect(harness.emulator.control.counterSnapshot().requestsTotal).toBe(0);
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
    const stored = harness.emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    expect(stored.map((m) => m.id)).toEqual(ids);
    expect(stored[0]!.embeds[0]).toMatchObject({ title: expect.stringContaining('Summary') as unknown });
  });

  it('fails non-retryably where the bot may not post', async () => {
    harness.seedWith((seed) => {
      const admin = seed.guilds![0]!.channels!.find((c) => c.name === 'admin')!;
      admin.permission_overwrites = admin.permission_overwrites!.filter((o) => o.id !== DEMO_ROLES.bot);
    });
    const failure = await failureOf(gateway().postToChannel(DEMO_CHANNELS.admin, summary(), 'k'));
    expect(failure.type).toBe(DiscordFailureType.Forbidden);
    expect(failure.nonRetryable).toBe(true);
  });
});
