// enforce_nonce: a POST repeated with the same nonce (by the product, or by discord.js retrying
// after a 5xx or a connection reset) stores one message and answers the original.
import { Routes, type APIChannel, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS, DEMO_MEMBERS, startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { restFor } from './helpers';

describe('nonce dedupe', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  beforeEach(() => emulator.control.reset());
  afterAll(() => emulator.close());

  const body = (nonce: string, content = 'You have a warning') => ({
    content,
    nonce,
    enforce_nonce: true,
    allowed_mentions: { parse: [] },
  });

  it('a repeated nonce returns the original message and stores one', async () => {
    const rest = restFor(emulator);
    const dm = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: DEMO_MEMBERS.erin },
    })) as APIChannel;
    const first = (await rest.post(Routes.channelMessages(dm.id), {
      body: body('warn:g1:erin:1'),
    })) as APIMessage;
    const second = (await rest.post(Routes.channelMessages(dm.id), {
      body: body('warn:g1:erin:1', 'different text'),
    })) as APIMessage;
    expect(second.id).toBe(first.id);
    expect(second.content).toBe('You have a warning');
    expect(first.nonce).toBe('warn:g1:erin:1');
    expect(emulator.control.messages({ recipientId: DEMO_MEMBERS.erin })).toHaveLength(1);
  });

  it('without enforce_nonce, or in another channel, a nonce does not dedupe', async () => {
    const rest = restFor(emulator);
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'a', nonce: 'n1' } });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'a', nonce: 'n1' } });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: body('n2') });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.botLogs), { body: body('n2') });
    expect(emulator.control.messages()).toHaveLength(4);
  });

  it('forgets a nonce after the window', async () => {
    emulator.control.configure({ nonceWindowMs: 50 });
    try {
      const rest = restFor(emulator);
      const a = (await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), {
        body: body('n3'),
      })) as APIMessage;
      await new Promise((r) => setTimeout(r, 120));
      const b = (await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), {
        body: body('n3'),
      })) as APIMessage;
      expect(b.id).not.toBe(a.id);
    } finally {
      emulator.control.configure({ nonceWindowMs: 5 * 60_000 });
    }
  });

  it.each([
    ['a 500', 'error'],
    ['a connection reset', 'reset'],
  ] as const)(
    'discord.js retries a POST that was stored but answered with %s, and one message is stored',
    async (_label, kind) => {
      const rest = restFor(emulator);
      const dm = (await rest.post(Routes.userChannels(), {
        body: { recipient_id: DEMO_MEMBERS.frank },
      })) as APIChannel;
      // The first attempt is carried out (stored), then its answer is lost: the duplicate-prone case.
      emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind, when: 'after' });
      const sent = (await rest.post(Routes.channelMessages(dm.id), {
        body: body(`retry-${kind}`),
      })) as APIMessage;
      const stored = emulator.control.messages({ recipientId: DEMO_MEMBERS.frank });
      expect(stored).toHaveLength(1);
      expect(sent.id).toBe(stored[0]!.id);
      const counters = emulator.control.counterSnapshot();
      expect(counters.perRoute['POST /channels/:channel_id/messages']).toBe(2);
      expect(counters.perStatus[kind === 'error' ? '500' : 'reset']).toBe(1);
    },
  );

  it('without a nonce the same retry stores a duplicate (why the product sends one)', async () => {
    const rest = restFor(emulator);
    emulator.control.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      kind: 'error',
      when: 'after',
    });
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.general), { body: { content: 'no nonce' } });
    expect(emulator.control.messages({ channelId: DEMO_CHANNELS.general })).toHaveLength(2);
  });

  it('discord.js retries a POST whose first attempt never arrived (reset) and stores it once', async () => {
    const rest = restFor(emulator);
    emulator.control.addFault({ method: 'POST', path: '/channels/:id/messages', kind: 'reset', count: 1 });
    const sent = (await rest.post(Routes.channelMessages(DEMO_CHANNELS.botLogs), {
      body: body('fresh-reset'),
    })) as APIMessage;
    expect(emulator.control.messages({ channelId: DEMO_CHANNELS.botLogs }).map((m) => m.id)).toEqual([
      sent.id,
    ]);
  });
});
