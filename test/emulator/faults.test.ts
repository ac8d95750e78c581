// Fault injection as discord.js experiences it: 5xx retries, honoured 429 storms, timeouts on
// hung requests, and a server that still closes while a request hangs.
import { DiscordAPIError, HTTPError, Routes, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS, startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { restFor } from './helpers';

const MESSAGES = '/channels/:id/messages';

describe('fault injection', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  beforeEach(() => emulator.control.reset());
  afterAll(() => emulator.close());

  it('500 twice then success: discord.js retries and succeeds', async () => {
    emulator.control.addFault({ method: 'POST', path: MESSAGES, kind: 'error', status: 500, count: 2 });
    const rest = restFor(emulator);
    const message = (await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), {
      body: { content: 'x' },
    })) as APIMessage;
    expect(message.content).toBe('x');
    const counters = emulator.control.counterSnapshot();
    expect(counters.perStatus).toMatchObject({ '500': 2, '200': 1 });
    expect(emulator.control.faults.list()).toEqual([]);
  });

  it('502 more often than discord.js retries (3): the error reaches the caller as HTTPError', async () => {
    emulator.control.addFault({ method: '*', path: MESSAGES, kind: 'error', status: 502, count: 4 });
    const rest = restFor(emulator);
    const error = await rest
      .post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(502);
    expect(emulator.control.counterSnapshot().perStatus['502']).toBe(4);
    expect(emulator.control.messages()).toHaveLength(0);
  });

  it('a 429 storm is honoured: discord.js waits Retry-After each time instead of spinning', async () => {
    emulator.control.addFault({
      method: 'POST',
      path: MESSAGES,
      kind: 'rate-limit',
      count: 3,
      retryAfter: 0.2,
    });
    const rest = restFor(emulator);
    const retryAfters: number[] = [];
    rest.on('response', (request, response) => {
      if (response.status === 429) retryAfters.push(Number(response.headers.get('retry-after')));
    });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'after the storm' } });
    const counters = emulator.control.counterSnapshot();
    // Exactly the injected 429s plus one success: no tight loop of extra requests.
    expect(counters.rateLimited.injected).toBe(3);
    expect(counters.perRoute['POST /channels/:channel_id/messages']).toBe(4);
    // Retry-After is whole seconds (Discord rounds up); the client waited it out each time.
    expect(retryAfters).toEqual([1, 1, 1]);
  }, 20_000);

  it('a global 429 storm makes discord.js stop all requests for retry_after', async () => {
    emulator.control.addFault({
      path: '/users/@me',
      kind: 'rate-limit',
      global: true,
      count: 2,
      retryAfter: 0.5,
    });
    const rest = restFor(emulator);
    const limited: boolean[] = [];
    rest.on('response', (_request, response) => {
      if (response.status === 429) limited.push(response.headers.get('x-ratelimit-global') === 'true');
    });
    await rest.get(Routes.user('@me'));
    expect(limited).toEqual([true, true]);
    expect(emulator.control.counterSnapshot().requestsTotal).toBe(3);
  }, 20_000);

  it('a hung request times out in discord.js, is retried, and succeeds', async () => {
    emulator.control.addFault({ path: MESSAGES, kind: 'hang', hangMs: 60_000 });
    const rest = restFor(emulator, { timeout: 300 });
    const message = (await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), {
      body: { content: 'late' },
    })) as APIMessage;
    expect(message.content).toBe('late');
    expect(emulator.control.counterSnapshot().perStatus).toMatchObject({ hang: 1, '200': 1 });
  });

  it('a delayed request is answered late and carried out once, when the delay ends', async () => {
    emulator.control.addFault({ method: 'POST', path: MESSAGES, kind: 'delay', delayMs: 600 });
    const rest = restFor(emulator);
    const sentAt = Date.now();
    const pending = rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'slow' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(emulator.control.messages()).toHaveLength(0);
    const message = (await pending) as APIMessage;
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(600);
    expect(message.content).toBe('slow');
    expect(emulator.control.messages()).toHaveLength(1);
    expect(emulator.control.counterSnapshot().perStatus).toEqual({ '200': 1 });
  });

  it('close() does not wait for hung requests', async () => {
    const other = await startDiscordEmulator();
    other.control.addFault({ path: '/users/@me', kind: 'hang', hangMs: 60_000 });
    const pending = restFor(other, { retries: 0 })
      .get(Routes.user('@me'))
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    // The hang lasts 60 s; close() must end it rather than wait for it.
    const closed = await Promise.race([
      other.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 10_000)),
    ]);
    expect(closed).toBe('closed');
    expect(await pending).toBeInstanceOf(Error);
  });

  it('faults match by method and path; other routes are unaffected', async () => {
    emulator.control.addFault({ method: 'GET', path: MESSAGES, kind: 'error', count: 5 });
    const rest = restFor(emulator);
    await expect(
      rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'ok' } }),
    ).resolves.toBeTruthy();
    await expect(rest.get(Routes.user('@me'))).resolves.toBeTruthy();
    expect(emulator.control.faults.list()[0]!.remaining).toBe(5);
  });

  it('a 4xx from Discord is not retried (permanent)', async () => {
    const rest = restFor(emulator);
    const error = await rest
      .post(Routes.channelMessages(DEMO_CHANNELS.general), { body: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(emulator.control.counterSnapshot().requestsTotal).toBe(1);
  });
});
