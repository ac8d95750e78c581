// Rate-limit headers and 429s as Discord sends them, seen with plain fetch (so nothing queues
// for us), plus the invalid-request window and the hidden DM-opening limit (40003).
import { DiscordAPIError, Routes, type APIChannel } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { restFor } from './helpers';

describe('rate limits', () => {
  let emulator: DiscordEmulator;
  const call = (path: string, init: RequestInit = {}, token = emulator.token) =>
    fetch(`${emulator.apiUrl}/v10${path}`, {
      ...init,
      headers: { Authorization: `Bot ${token}`, 'Content-Type': 'application/json', ...init.headers },
    });
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    emulator = await startDiscordEmulator({ globalRateLimitPerSecond: 20 });
  });
  beforeEach(() => emulator.control.reset());
  afterAll(() => emulator.close());

  it('sends X-RateLimit-* on every response of a route, errors included', async () => {
    const ok = await call(`/guilds/${DEMO_GUILD_ID}`);
    const missing = await call(`/guilds/${DEMO_GUILD_ID}/members/1196423592804483085`);
    for (const res of [ok, missing]) {
      expect(res.headers.get('x-ratelimit-limit')).toBe('10');
      expect(res.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
      expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(missing.status).toBe(404);
  });

  it('buckets per route and major parameter: 5 messages per 5 s per channel, then a user-scoped 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post(`/channels/${DEMO_CHANNELS.general}/messages`, { content: `${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await post(`/channels/${DEMO_CHANNELS.general}/messages`, { content: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect(Number(limited.headers.get('retry-after'))).toBe(5);
    const body = (await limited.json()) as { message: string; retry_after: number; global: boolean };
    expect(body.message).toBe('You are being rate limited.');
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(4);
    expect(body.retry_after).toBeLessThanOrEqual(5);
    // Another channel is another bucket, with the same bucket hash.
    const other = await post(`/channels/${DEMO_CHANNELS.botLogs}/messages`, { content: 'x' });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-bucket')).toBe(limited.headers.get('x-ratelimit-bucket'));
  });

  it('answers past the global limit with a global 429', async () => {
    const responses = await Promise.all(Array.from({ length: 25 }, () => call('/users/@me/guilds')));
    const limited = responses.filter(
      (r) => r.status === 429 && r.headers.get('x-ratelimit-global') === 'true',
    );
    // 20/s global (this emulator's setting); the route's own bucket (10/s) answers some first.
    expect(responses.filter((r) => r.status === 200)).toHaveLength(10);
    const globalBody = (await call('/users/@me').then((r) => r.json())) as {
      global: boolean;
      retry_after: number;
    };
    expect(globalBody.global).toBe(true);
    expect(globalBody.retry_after).toBeGreaterThan(0);
    expect(globalBody.retry_after).toBeLessThanOrEqual(1);
    const counters = emulator.control.counterSnapshot();
    expect(counters.rateLimited.global).toBe(limited.length + 1);
    expect(counters.rateLimited.route).toBe(10);
    expect(
      limited.every(
        (r) => r.headers.get('x-ratelimit-scope') === 'global' && r.headers.get('retry-after') === '1',
      ),
    ).toBe(true);
  });

  it('counts invalid requests (401, 403, 429) in a 10-minute window', async () => {
    await call('/users/@me', {}, 'wrong');
    await call('/users/@me', {}, 'wrong');
    const dm = (await (
      await post('/users/@me/channels', { recipient_id: DEMO_MEMBERS.dave })
    ).json()) as APIChannel;
    expect((await post(`/channels/${dm.id}/messages`, { content: 'x' })).status).toBe(403);
    expect((await call(`/guilds/${DEMO_GUILD_ID}/roles`)).status).toBe(200);
    const counters = emulator.control.counterSnapshot();
    expect(counters.invalidRequests).toEqual({ inWindow: 3, windowMs: 600_000, limit: 10_000 });
  });

  it('decodes percent-encoded path segments like Discord (/users/%40me)', async () => {
    const res = await call('/users/%40me');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(emulator.world.bot.id);
  });

  it('opening DMs too fast is 403 40003 when that limit is configured', async () => {
    emulator.control.configure({ dmOpenTooFast: { limit: 2, windowMs: 60_000 } });
    try {
      const rest = restFor(emulator);
      await rest.post(Routes.userChannels(), { body: { recipient_id: DEMO_MEMBERS.alice } });
      await rest.post(Routes.userChannels(), { body: { recipient_id: DEMO_MEMBERS.bob } });
      const error = (await rest
        .post(Routes.userChannels(), { body: { recipient_id: DEMO_MEMBERS.carol } })
        .catch((e: unknown) => e)) as DiscordAPIError;
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect([error.code, error.status, error.message]).toEqual([
        40003,
        403,
        'You are opening direct messages too fast.',
      ]);
    } finally {
      emulator.control.configure({ dmOpenTooFast: null });
    }
  });
});
