// Integration tests: rate limits through discord.js's REST client against the Discord
// emulator's real 429s: actual 429s become retryable failures carrying Retry-After, learnt
// buckets and the global 50/s are waited for pre-emptively, a 429 storm delivers all once.
import { describe, expect, it } from 'vitest';
import { buildWarningMessages } from '../../src/discord/embeds';
import type { MessagePayload } from '../../src/discord/contract';
import { DiscordFailureType } from '../../src/discord/errors';
import { DEMO_CHANNELS, DEMO_GUILD_NAME, DEMO_MEMBERS } from '../../src/emulator';
import { warningCommands } from './embed-data';
import { failureOf, useEmulator, withTemporalLikeRetries } from './emulator-harness';

const harness = useEmulator();
const { gateway, addMembers } = harness;

const warning = (count = 2): MessagePayload[] =>
  buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(count) });

describe('rate limits (integration)', () => {
  it('turns an actual 429 into a retryable failure carrying Retry-After', async () => {
    harness.emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'rate-limit',
      retryAfter: 2,
    });
    const started = Date.now();
    const failure = await failureOf(gateway().sendDirectMessage(DEMO_MEMBERS.carol, warning(), 'k'));
    expect(Date.now() - started).toBeLessThan(1_900); // not slept inside the call (Retry-After is 2 s)
    expect(failure.type).toBe(DiscordFailureType.RateLimited);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeGreaterThanOrEqual(2_000);
    expect(failure.nextRetryDelay).toBeLessThan(2_500);
  });

  it('retries "opening DMs too fast" (40003) after a delay instead of giving up', async () => {
    harness.emulator.control.configure({ dmOpenTooFast: { limit: 1, windowMs: 60_000 } });
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
      harness.emulator.control.configure({ dmOpenTooFast: null });
    }
  });

  it('waits pre-emptively on a learnt route bucket instead of failing (5 messages per 5 s per channel)', async () => {
    const messages = Array.from({ length: 7 }, (_, i) => ({ content: `line ${i}` }));
    const started = Date.now();
    const ids = await gateway().postToChannel(DEMO_CHANNELS.admin, messages, 'burst');
    expect(ids).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(harness.emulator.control.counterSnapshot().rateLimited.total).toBe(0);
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
    const counters = harness.emulator.control.counterSnapshot();
    expect(counters.requestsTotal).toBe(150);
    expect(counters.rateLimited.total).toBe(0);
    expect(counters.peakRequestsPerWindow).toBeLessThanOrEqual(50);
  });

  it('survives a 429 storm (Discord allowing fewer requests than assumed): all delivered once', async () => {
    const userIds = addMembers(60);
    harness.emulator.control.configure({ globalRateLimitPerSecond: 20 });
    try {
      const discord = gateway();
      const messages = warning(1);
      const outcomes = await Promise.all(
        userIds.map((id) =>
          withTemporalLikeRetries(() => discord.sendDirectMessage(id, messages, `warning:${id}:storm`)),
        ),
      );
      expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
      for (const id of userIds)
        expect(harness.emulator.control.messages({ recipientId: id })).toHaveLength(1);
      const counters = harness.emulator.control.counterSnapshot();
      // Each 429 blocks the whole client until Retry-After: a handful per window, never one per request.
      expect(counters.rateLimited.global).toBeGreaterThan(0);
      expect(counters.rateLimited.total).toBeLessThan(counters.requestsTotal / 2);
    } finally {
      harness.emulator.control.configure({ globalRateLimitPerSecond: 50 });
    }
  });
});
