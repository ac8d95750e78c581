// Integration tests: notifications too long for three messages, sent by the gateway through
// discord.js's REST client (multipart) to the Discord emulator, arrive with their files
// byte for byte; and findPostedMessage finds in a channel's history what was posted, and
// only that.
import { describe, expect, it } from 'vitest';
import type { MessagePayload } from '../../src/discord/contract';
import {
  MAX_MESSAGES_PER_NOTIFICATION,
  buildDeletionMessages,
  buildSummaryMessages,
  buildWarningMessages,
} from '../../src/discord/embeds';
import { DEMO_CHANNELS, DEMO_GUILD_NAME, DEMO_MEMBERS, defaultConfig } from '../../src/emulator';
import { deletedCommands, warningCommands } from './embed-data';
import { useEmulator } from './emulator-harness';

const harness = useEmulator();
/** Uploads of a few MB take longer than the 5 s of the other tests on a busy machine. */
const gateway = () => harness.gateway({ timeoutMs: 15_000 });

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('files (integration)', () => {
  it('a warning DM of 2,000 commands arrives in three messages, its file byte for byte', async () => {
    const messages = buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(2000) });
    expect(messages).toHaveLength(MAX_MESSAGES_PER_NOTIFICATION);
    const file = messages.at(-1)!.files![0]!;

    const outcome = await gateway().sendDirectMessage(DEMO_MEMBERS.carol, messages, 'warning:carol:files');
    expect(outcome.status).toBe('sent');
    const stored = harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol });
    expect(stored).toHaveLength(3);
    expect(stored.map((m) => m.embeds)).toMatchObject(messages.map((m) => m.embeds!));
    expect(stored.slice(0, 2).every((m) => m.attachments.length === 0)).toBe(true);

    const [attachment, ...others] = stored[2]!.attachments;
    expect(others).toEqual([]);
    expect(attachment).toMatchObject({ filename: 'commands.txt', size: file.data.length });
    expect(attachment!.content_type).toMatch(/^text\/plain/);
    expect((await download(attachment!.url)).equals(file.data)).toBe(true);
  });

  it('a deletion DM of 300 contents of 2,000 characters keeps every byte of its file', async () => {
    const commands = deletedCommands(300);
    const messages = buildDeletionMessages({ guildName: DEMO_GUILD_NAME, commands, policySentence: 'P.' });
    await gateway().sendDirectMessage(DEMO_MEMBERS.erin, messages, 'deletion:erin:files');
    const [last] = harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.erin }).slice(-1);
    const bytes = await download(last!.attachments[0]!.url);
    expect(bytes.equals(messages.at(-1)!.files![0]!.data)).toBe(true);
    for (const command of commands) expect(bytes.includes(Buffer.from(command.content, 'utf8'))).toBe(true);
  });

  it('sends every file of a message, in order, and once when the send is repeated (nonce)', async () => {
    const files = ['a', 'b', 'c'].map((x, i) => ({
      name: `list-${i + 1}.txt`,
      contentType: 'text/plain; charset=utf-8',
      data: Buffer.from(`${x.repeat(1000)}\n€😀\n`, 'utf8'),
    }));
    const message: MessagePayload = { embeds: [{ title: 'Files', description: 'Three files.' }], files };
    const discord = gateway();
    const first = await discord.sendDirectMessage(DEMO_MEMBERS.frank, [message], 'files:frank');
    const again = await discord.sendDirectMessage(DEMO_MEMBERS.frank, [message], 'files:frank');
    expect(again).toEqual(first);
    const stored = harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.frank });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.attachments.map((a) => a.filename)).toEqual(files.map((f) => f.name));
    for (const [i, attachment] of stored[0]!.attachments.entries()) {
      expect((await download(attachment.url)).equals(files[i]!.data)).toBe(true);
    }
  });

  it('posts a summary with its list of 5,000 undeliverable DMs to the admin channel', async () => {
    const messages = buildSummaryMessages({
      guildName: DEMO_GUILD_NAME,
      dryRun: false,
      warnedCreators: 5000,
      warnedCommands: 5000,
      deletedCommands: 0,
      failedDeliveries: Array.from({ length: 5000 }, (_, i) => ({
        creatorId: (400000000000000000n + BigInt(i)).toString(),
        phase: 'warning' as const,
        reason: 'dms-closed' as const,
      })),
      stats: { activeCommands: 1, creators: 1, pendingDeletions: 0 },
      durationMs: 1000,
      nextRunAt: null,
      skippedInvalidDocuments: 0,
    });
    const ids = await gateway().postToChannel(DEMO_CHANNELS.admin, messages, 'summary:files');
    expect(ids).toHaveLength(3);
    const stored = harness.emulator.control.messages({ channelId: DEMO_CHANNELS.admin });
    const attachment = stored.at(-1)!.attachments[0]!;
    expect(attachment.filename).toBe('undeliverable-dms.txt');
    expect((await download(attachment.url)).equals(messages.at(-1)!.files![0]!.data)).toBe(true);
  });
});

describe('findPostedMessage and dmChannelId (integration)', () => {
  it('finds each part of a DM already posted, and nothing for a part never posted', async () => {
    const discord = gateway();
    const messages = buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(2000) });
    const startedAt = Date.now() - 1000;
    const outcome = await discord.sendDirectMessage(DEMO_MEMBERS.carol, messages, 'warning:carol:find');
    expect(outcome.status).toBe('sent');
    const ids = outcome.status === 'sent' ? outcome.messageIds : [];

    const channelId = await discord.dmChannelId(DEMO_MEMBERS.carol);
    expect(
      harness.emulator.control.messages({ recipientId: DEMO_MEMBERS.carol }).map((m) => m.channel_id),
    ).toEqual(ids.map(() => channelId));
    for (const [i, message] of messages.entries()) {
      expect(await discord.findPostedMessage(channelId, message, startedAt)).toBe(ids[i]);
    }

    // Never posted: another command list, the same embeds without the file, plain text.
    const other = buildWarningMessages({ guildName: DEMO_GUILD_NAME, commands: warningCommands(3) });
    expect(await discord.findPostedMessage(channelId, other[0]!, startedAt)).toBeNull();
    const withoutFile = { embeds: messages.at(-1)!.embeds };
    expect(await discord.findPostedMessage(channelId, withoutFile, startedAt)).toBeNull();
    expect(await discord.findPostedMessage(channelId, { content: 'hello' }, startedAt)).toBeNull();
    // Posted before the window: not seen.
    expect(await discord.findPostedMessage(channelId, messages[0]!, Date.now() + 60_000)).toBeNull();
  });

  it('opens the DM channel of a user never messaged, and remembers it', async () => {
    const discord = gateway();
    const channelId = await discord.dmChannelId(DEMO_MEMBERS.bob);
    expect(channelId).toMatch(/^\d{17,20}$/);
    const requests = harness.emulator.control.counterSnapshot().requestsTotal;
    expect(await discord.dmChannelId(DEMO_MEMBERS.bob)).toBe(channelId);
    expect(harness.emulator.control.counterSnapshot().requestsTotal).toBe(requests);
    expect(await discord.findPostedMessage(channelId, { content: 'x' }, 0)).toBeNull();
  });

  it('pages through a busy channel to find the message among the newer ones of the window', async () => {
    const discord = gateway();
    const startedAt = Date.now() - 1000;
    // 120 messages, then the one sought: it is not in the first page of 100 after the window's start.
    const earlier = Array.from({ length: 120 }, (_, i) => ({ content: `earlier ${i}` }));
    const target: MessagePayload = { embeds: [{ title: 'Summary', description: 'the one' }] };
    // Not the 5 messages per 5 s of a real channel: this test is about reading, not pacing.
    const routeLimits = defaultConfig().routeLimits;
    harness.emulator.control.configure({
      routeLimits: { ...routeLimits, 'POST /channels/:channel_id/messages': { limit: 200, windowMs: 1000 } },
      globalRateLimitPerSecond: 1000, // the requests of earlier tests still count in this second
    });
    let targetId: string | undefined;
    try {
      await discord.postToChannel(DEMO_CHANNELS.admin, earlier, 'find:earlier');
      [targetId] = await discord.postToChannel(DEMO_CHANNELS.admin, [target], 'find:target');
    } finally {
      harness.emulator.control.configure({ routeLimits, globalRateLimitPerSecond: 50 });
    }
    const reads = () =>
      harness.emulator.control.counterSnapshot().perRoute['GET /channels/:channel_id/messages'] ?? 0;
    const before = reads();
    expect(await discord.findPostedMessage(DEMO_CHANNELS.admin, target, startedAt)).toBe(targetId);
    expect(reads() - before).toBe(2); // two pages of history
    const first = harness.emulator.control.messages({ channelId: DEMO_CHANNELS.admin })[0]!;
    expect(await discord.findPostedMessage(DEMO_CHANNELS.admin, earlier[0]!, startedAt)).toBe(first.id);
    expect(await discord.findPostedMessage(DEMO_CHANNELS.admin, { content: 'never' }, startedAt)).toBeNull();
  });
});
