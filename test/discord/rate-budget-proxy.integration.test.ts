// Integration tests: several workers' gateways (each its own discord.js client) sending
// through one rate-budget proxy to the emulator keep to one budget together, and what a
// worker needs from Discord's answers (429 with Retry-After, failures, attachments, 401)
// comes through the proxy unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRateBudgetProxy, type RateBudgetProxy } from '../../src/discord/rate-budget-proxy';
import { DiscordFailureType } from '../../src/discord/errors';
import { DEMO_MEMBERS } from '../../src/emulator';
import { failureOf, useEmulator } from './emulator-harness';

const harness = useEmulator();
const BUDGET = 20;
let proxy: RateBudgetProxy;

beforeEach(async () => {
  proxy = await startRateBudgetProxy({
    upstreamApiUrl: harness.emulator.apiUrl,
    requestsPerSecond: BUDGET,
  });
});
afterEach(async () => {
  await proxy.close();
});

/**
 * Three workers' worth of DMs at once: 30 users, 10 per gateway, two requests each. Each
 * worker's own client allows itself the whole budget, as a worker on its own would.
 */
async function dmFromThreeWorkers(apiUrl: string): Promise<string[]> {
  const userIds = harness.addMembers(30);
  const workers = [0, 1, 2].map(() => harness.gateway({ apiUrl, globalRequestsPerSecond: BUDGET }));
  const outcomes = await Promise.allSettled(
    userIds.map((id, i) => workers[i % 3]!.sendDirectMessage(id, [{ content: 'hello' }], `k:${id}`)),
  );
  return outcomes.map((o) => (o.status === 'fulfilled' ? o.value.status : 'failed'));
}

describe('rate-budget proxy (integration)', () => {
  it('keeps three workers together within one budget per window, with no 429', async () => {
    expect(await dmFromThreeWorkers(proxy.apiUrl)).toEqual(Array.from({ length: 30 }, () => 'sent'));
    const counters = harness.emulator.control.counterSnapshot();
    expect(counters.requestsTotal).toBe(60);
    expect(counters.peakRequestsPerWindow).toBeLessThanOrEqual(BUDGET);
    expect(counters.rateLimited.total).toBe(0);
  });

  it('(control) the same three workers straight to Discord each count only their own requests', async () => {
    await dmFromThreeWorkers(harness.emulator.apiUrl);
    expect(harness.emulator.control.counterSnapshot().peakRequestsPerWindow).toBeGreaterThan(BUDGET);
  });

  it("passes Discord's 429 on as a 429: the worker's activity retries after Retry-After", async () => {
    harness.emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'rate-limit',
      retryAfter: 2,
    });
    const discord = harness.gateway({ apiUrl: proxy.apiUrl });
    const failure = await failureOf(discord.sendDirectMessage(DEMO_MEMBERS.carol, [{ content: 'x' }], 'k'));
    expect(failure.type).toBe(DiscordFailureType.RateLimited);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeGreaterThanOrEqual(1_900);
    expect(failure.nextRetryDelay).toBeLessThan(3_000);
  });

  it('answers a connection reset upstream with a failure, never with an empty success', async () => {
    harness.emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind: 'reset' });
    const discord = harness.gateway({ apiUrl: proxy.apiUrl });
    const failure = await failureOf(discord.sendDirectMessage(DEMO_MEMBERS.carol, [{ content: 'x' }], 'k'));
    expect(failure.nonRetryable).toBe(false);
    expect(harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol })).toHaveLength(0);
  });

  it('passes a 5xx on as a retryable failure (Temporal retries, not the proxy)', async () => {
    harness.emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'error',
      status: 503,
    });
    const discord = harness.gateway({ apiUrl: proxy.apiUrl });
    const failure = await failureOf(discord.sendDirectMessage(DEMO_MEMBERS.carol, [{ content: 'x' }], 'k'));
    expect(failure.nonRetryable).toBe(false);
    expect(harness.emulator.control.counterSnapshot().perStatus['503']).toBe(1);
  });

  it('carries attachments (multipart uploads) through', async () => {
    const discord = harness.gateway({ apiUrl: proxy.apiUrl });
    const data = Buffer.from('every command\n'.repeat(500));
    const outcome = await discord.sendDirectMessage(
      DEMO_MEMBERS.carol,
      [{ content: 'see the file', files: [{ name: 'commands.txt', contentType: 'text/plain', data }] }],
      'files',
    );
    expect(outcome.status).toBe('sent');
    const [message] = harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol });
    expect(message?.attachments).toEqual([
      expect.objectContaining({ filename: 'commands.txt', size: data.length }),
    ]);
  });

  it("passes the worker's token on, and a 401 reaches the worker", async () => {
    let unauthorized = 0;
    const discord = harness.gateway({
      apiUrl: proxy.apiUrl,
      token: 'not-the-token',
      onUnauthorized: () => unauthorized++,
    } as Parameters<typeof harness.gateway>[0]);
    await failureOf(discord.sendDirectMessage(DEMO_MEMBERS.carol, [{ content: 'x' }], 'k'));
    expect(unauthorized).toBe(1);
    // The right token through the same proxy works: the proxy keeps none of its own.
    const ok = await harness
      .gateway({ apiUrl: proxy.apiUrl })
      .sendDirectMessage(DEMO_MEMBERS.carol, [{ content: 'x' }], 'k2');
    expect(ok.status).toBe('sent');
  });
});
