/**
 * A task's admin report through the real gateway and the emulator: posted once in the
 * first admin channel the bot may use, and, given `notBefore`, found rather than posted
 * again by a retry that comes after Discord's nonce window (simulated by another key,
 * which is what an expired nonce amounts to).
 */
import { describe, expect, it } from 'vitest';
import { postAdminMessages } from '../../src/activities/admin-report';
import { DEMO_CHANNELS, DEMO_GUILD_ID } from '../../src/emulator';
import { useEmulator } from './emulator-harness';

const h = useEmulator();
const report = { embeds: [{ title: 'Weekly report', description: 'all fine' }] };

describe('postAdminMessages', () => {
  it('posts in the first admin channel the bot may post in', async () => {
    const outcome = await postAdminMessages(h.gateway(), {
      guildId: DEMO_GUILD_ID,
      adminChannels: ['admin', 'bot-logs'],
      key: 'report-1',
      messages: [report],
    });

    expect(outcome).toMatchObject({ status: 'posted', channelId: DEMO_CHANNELS.admin });
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(1);
  });

  it('with notBefore, a retry past the nonce window finds the report instead of posting it twice', async () => {
    const notBefore = Date.now() - 1000;
    const first = await postAdminMessages(h.gateway(), {
      guildId: DEMO_GUILD_ID,
      adminChannels: ['admin'],
      key: 'report-2',
      messages: [report],
      notBefore,
    });
    const retry = await postAdminMessages(h.gateway(), {
      guildId: DEMO_GUILD_ID,
      adminChannels: ['admin'],
      key: 'report-2-after-the-nonce-expired',
      messages: [report],
      notBefore,
    });

    expect(retry).toEqual(first);
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(1);
  });

  it('control: without notBefore, another key posts again (the check above can fail)', async () => {
    for (const key of ['report-3', 'report-3-other']) {
      await postAdminMessages(h.gateway(), {
        guildId: DEMO_GUILD_ID,
        adminChannels: ['admin'],
        key,
        messages: [report],
      });
    }
    expect(h.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })).toHaveLength(2);
  });

  it('skips, with the reason, when no admin channel can take it', async () => {
    const outcome = await postAdminMessages(h.gateway(), {
      guildId: DEMO_GUILD_ID,
      adminChannels: ['no-such-channel'],
      key: 'report-4',
      messages: [report],
    });
    expect(outcome).toMatchObject({ status: 'skipped' });
    expect(h.emulator.control.messages({})).toHaveLength(0);
  });
});
