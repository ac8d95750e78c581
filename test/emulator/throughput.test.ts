// Acceptance: 300 DMs to 300 users as fast as discord.js can send them, through the emulator's
// global (50/s) and per-route limits, without the client spinning on 429s.
import { Routes, type APIChannel, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { restFor, worldWithMembers } from './helpers';

const USERS = 300;

describe('300 DMs through discord.js REST', () => {
  let emulator: DiscordEmulator;
  let userIds: string[];

  beforeAll(async () => {
    const world = worldWithMembers(USERS);
    userIds = world.userIds;
    emulator = await startDiscordEmulator({ seed: world.seed });
  });
  afterAll(() => emulator.close());

  it('delivers all 300, stays at or under 50 requests/s, and meets (almost) no 429', async () => {
    const rest = restFor(emulator);
    const started = Date.now();
    const sent = await Promise.all(
      userIds.map(async (recipient_id, i) => {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id } })) as APIChannel;
        return (await rest.post(Routes.channelMessages(dm.id), {
          body: { content: `Hello member ${i}`, allowed_mentions: { parse: [] } },
        })) as APIMessage;
      }),
    );
    const durationMs = Date.now() - started;

    const delivered = emulator.control.messages();
    expect(new Set(delivered.map((m) => m.recipient_id))).toEqual(new Set(userIds));
    expect(delivered).toHaveLength(USERS);
    expect(new Set(sent.map((m) => m.id)).size).toBe(USERS);

    const counters = emulator.control.counterSnapshot();
    console.log(
      `300 DMs: ${durationMs} ms, ${counters.requestsTotal} requests, peak ${counters.peakRequestsPerWindow}/s ` +
        `(limiter windows), ${counters.peakRequestsPerSecond} in the busiest sliding second, ` +
        `429s ${JSON.stringify(counters.rateLimited)}`,
    );
    expect(counters.requestsTotal).toBe(2 * USERS);
    expect(counters.peakRequestsPerWindow).toBeLessThanOrEqual(50);
    expect(counters.rateLimited.total).toBeLessThanOrEqual(2);
  }, 60_000);
});
