// Unit tests (property style): every warning, deletion and summary message fits Discord's
// limits whatever the data, lists everything it was given, escapes user text and carries
// the right colour and wording.
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { FailedDelivery, UndeliverableReason } from '../../src/cleanup/model';
import type { MessagePayload } from '../../src/discord/contract';
import {
  DELETION_TITLE,
  DRY_RUN_MARKER,
  EmbedColor,
  SUMMARY_TITLE,
  UNDELIVERABLE_TITLE,
  WARNING_TITLE,
  buildDeletionMessages,
  buildSummaryMessages,
  buildWarningMessages,
  formatDuration,
  validateMessage,
  type SummaryInput,
} from '../../src/discord/embeds';
import { ZERO_WIDTH_SPACE, escapeText, formatCommandName } from '../../src/discord/embeds/escape';
import { deletedCommands, nastyText, seededRandom, warningCommands } from './embed-data';

const COUNTS = [0, 1, 24, 25, 26, 200, 1000];

const embedsOf = (messages: MessagePayload[]): APIEmbed[] => messages.flatMap((m) => m.embeds ?? []);
const textOf = (messages: MessagePayload[]): string =>
  embedsOf(messages)
    .flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      e.footer?.text ?? '',
    ])
    .join('\n');

function expectAllValid(messages: MessagePayload[]): void {
  for (const [i, message] of messages.entries()) {
    expect(validateMessage(message), `message ${i}`).toEqual([]);
    expect(message.content ?? '').toBe('');
  }
}

/** The code blocks of the messages, in order, with our zero-width spaces removed. */
function codeBlocks(messages: MessagePayload[]): string[] {
  const blocks: string[] = [];
  for (const embed of embedsOf(messages)) {
    for (const match of (embed.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)) {
      blocks.push(match[1]!.replaceAll(ZERO_WIDTH_SPACE, ''));
    }
  }
  return blocks;
}

/** Every run of three backticks in a description is one of our fences, on its own line. */
function expectOnlyOurFences(messages: MessagePayload[]): void {
  for (const embed of embedsOf(messages)) {
    const description = embed.description ?? '';
    const withoutBlocks = description.replace(/```\n[\s\S]*?\n```/g, '');
    expect(withoutBlocks).not.toContain('```');
    for (const match of description.matchAll(/```\n([\s\S]*?)\n```/g)) {
      expect(match[1]).not.toContain('``');
    }
  }
}

describe('warning messages (unit)', () => {
  it.each(COUNTS)('fit every limit and list all %i commands', (count) => {
    const commands = warningCommands(count);
    const messages = buildWarningMessages({ guildName: 'Guild **One**', commands });
    if (count === 0) {
      expect(messages).toEqual([]);
      return;
    }
    expectAllValid(messages);
    const text = textOf(messages);
    for (const command of commands) expect(text).toContain(formatCommandName(command.name));
    // Every command line, exactly once: none dropped, none repeated.
    expect(text.match(/^• /gm)?.length).toBe(count);
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.warning);
    expect(messages[0]!.embeds![0]!.title).toBe(WARNING_TITLE);
    const fieldNames = embedsOf(messages).flatMap((e) => (e.fields ?? []).map((f) => f.name));
    expect(fieldNames.filter((n) => n === 'How to keep a command')).toHaveLength(1);
    expect(fieldNames.filter((n) => n === 'Manage your commands')).toHaveLength(1);
    expect(text).toContain('/cc-mine');
  });

  it('says when, with a Discord timestamp and the plain date, and escapes the guild name', () => {
    const deletionDate = new Date('2025-07-01T03:00:00Z');
    const [message] = buildWarningMessages({
      guildName: '__The *Guild*__',
      commands: [{ name: 'hello', daysUnused: 61, deletionDate }],
    });
    const embed = message!.embeds![0]!;
    const unix = deletionDate.getTime() / 1000;
    expect(embed.description).toContain(`will be deleted on <t:${unix}:D> (2025-07-01) unless used`);
    expect(embed.description).toContain(
      `• \`hello\` — unused for 61 days, deleted on <t:${unix}:D> (2025-07-01)`,
    );
    expect(embed.description).toContain('\\_\\_The \\*Guild\\*\\_\\_');
    expect(embed.description).toMatch(/^Your custom command in /);
  });

  it('says "from <first date> on" when the commands have different deletion dates', () => {
    const [message] = buildWarningMessages({
      guildName: 'G',
      commands: [
        { name: 'late', daysUnused: 61, deletionDate: new Date('2025-07-03T00:00:00Z') },
        { name: 'early', daysUnused: 70, deletionDate: new Date('2025-07-01T00:00:00Z') },
      ],
    });
    const description = message!.embeds![0]!.description!;
    expect(description).toContain('from <t:1751328000:D> (2025-07-01) on, each on the date shown');
    expect(description.indexOf('`early`')).toBeLessThan(description.indexOf('`late`'));
  });

  it('escapes names that break the contract instead of letting them format', () => {
    const name = '**boom** `x` ||spoiler||';
    const text = textOf(
      buildWarningMessages({
        guildName: 'G',
        commands: [{ name, daysUnused: 60, deletionDate: new Date() }],
      }),
    );
    expect(text).toContain(escapeText(name));
    expect(text).not.toContain(name);
  });

  it('uses the hints it is given', () => {
    const text = textOf(
      buildWarningMessages({
        guildName: 'G',
        commands: warningCommands(3),
        keepHint: 'Run it once.',
        manageHint: 'Use /mine.',
      }),
    );
    expect(text).toContain('Run it once.');
    expect(text).toContain('Use /mine.');
  });

  it('survives absurd data: a 5000-character name, invalid dates, a huge guild name', () => {
    const messages = buildWarningMessages({
      guildName: 'G'.repeat(5000),
      commands: [
        { name: '*'.repeat(5000), daysUnused: 1e9, deletionDate: new Date(Number.NaN) },
        { name: 'ok', daysUnused: 60, deletionDate: new Date(Number.NaN) },
      ],
    });
    expectAllValid(messages);
    expect(textOf(messages)).toContain('an unknown date');
  });
});

describe('deletion messages (unit)', () => {
  const input = (count: number, contentLength = 2000) => ({
    guildName: 'Guild',
    commands: deletedCommands(count, count, contentLength),
    policySentence:
      'Custom commands unused for 60 days get a warning, and are deleted 30 days later if still unused.',
  });

  // 1000 commands of 2000 characters would be 500 messages: 1000 short ones test the same paths.
  it.each(COUNTS)('fit every limit with %i commands of nasty content', (count) => {
    const data = input(count, count === 1000 ? 120 : 2000);
    const messages = buildDeletionMessages(data);
    if (count === 0) {
      expect(messages).toEqual([]);
      return;
    }
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    const text = textOf(messages);
    for (const command of data.commands) expect(text).toContain(formatCommandName(command.name));
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.deletion);
    expect(messages[0]!.embeds![0]!.title).toBe(DELETION_TITLE);
    expect(text).toContain(data.policySentence);
    expect(text).toContain('How to recreate a command');
  });

  it('keeps every content whole and recoverable, in name order', () => {
    for (const contentLength of [1, 100, 1999, 2000]) {
      const data = input(30, contentLength);
      const messages = buildDeletionMessages(data);
      expectAllValid(messages);
      const sorted = [...data.commands].sort((a, b) => a.name.localeCompare(b.name));
      expect(codeBlocks(messages).join('')).toBe(sorted.map((c) => c.content).join(''));
    }
  });

  it('neutralises backticks: a content of 2000 backticks stays inside its block', () => {
    const content = '`'.repeat(2000);
    const messages = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [{ name: 'ticks', content, useCount: 1, createdAt: new Date(0), lastUsedAt: new Date(0) }],
    });
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    expect(codeBlocks(messages).join('')).toBe(content);
  });

  it('cuts a content longer than any embed into numbered parts, losing nothing', () => {
    const random = seededRandom(7);
    const content = nastyText(random, 12_000);
    const messages = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [{ name: 'huge', content, useCount: 1, createdAt: new Date(0), lastUsedAt: new Date(0) }],
    });
    expectAllValid(messages);
    expectOnlyOurFences(messages);
    expect(codeBlocks(messages).join('')).toBe(content);
    expect(textOf(messages)).toMatch(/Content of `huge`, part 1 of \d/);
  });

  it('shows the final statistics of each command', () => {
    const [message] = buildDeletionMessages({
      guildName: 'G',
      policySentence: 'Policy.',
      commands: [
        {
          name: 'stats',
          content: 'hi',
          useCount: 42,
          createdAt: new Date('2024-01-02T00:00:00Z'),
          lastUsedAt: new Date('2024-03-04T00:00:00Z'),
        },
        { name: 'unused', content: '  ', useCount: 0, createdAt: new Date(0), lastUsedAt: new Date(0) },
      ],
    });
    const description = message!.embeds![0]!.description!;
    expect(description).toContain(
      '`stats` — 42 uses · created <t:1704153600:D> (2024-01-02) · last used <t:1709510400:D> (2024-03-04)',
    );
    expect(description).toContain('```\nhi\n```');
    expect(description).toContain('`unused` — 0 uses');
    expect(description).toContain('last used never');
    expect(description).toContain('*(empty)*');
  });
});

describe('summary messages (unit)', () => {
  const reasons: UndeliverableReason[] = ['dms-closed', 'unknown-user', 'left-guild', 'other'];
  const failures = (count: number): FailedDelivery[] =>
    Array.from({ length: count }, (_, i) => ({
      creatorId: (400000000000000000n + BigInt(i)).toString(),
      phase: i % 3 === 0 ? 'deletion' : 'warning',
      reason: reasons[i % reasons.length]!,
    }));
  const input = (overrides: Partial<SummaryInput> = {}): SummaryInput => ({
    guildName: 'Guild',
    dryRun: false,
    warnedCreators: 3,
    warnedCommands: 7,
    deletedCommands: 2,
    failedDeliveries: [],
    stats: { activeCommands: 120, creators: 40, pendingDeletions: 9 },
    durationMs: 83_500,
    nextRunAt: new Date('2025-06-02T03:00:00Z'),
    skippedInvalidDocuments: 0,
    ...overrides,
  });

  it('has the run in one blue embed when nothing failed', () => {
    const messages = buildSummaryMessages(input());
    expect(messages).toHaveLength(1);
    expectAllValid(messages);
    const embed = messages[0]!.embeds![0]!;
    expect(embed.title).toBe(SUMMARY_TITLE);
    expect(embed.color).toBe(EmbedColor.summary);
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Warnings sent']).toBe('3 users, 7 commands');
    expect(fields['Commands deleted']).toBe('2');
    expect(fields['Undeliverable DMs']).toBe('None');
    expect(fields['Current statistics']).toBe('Active commands: 120\nCreators: 40\nPending deletions: 9');
    expect(fields['Run duration']).toBe('1 min 24 s');
    // The schedule's next run, not "now + 1 day".
    expect(fields['Next run']).toBe('<t:1748833200:f> (2025-06-02 03:00 UTC)');
    expect(textOf(messages)).not.toContain(DRY_RUN_MARKER);
  });

  it('marks a dry run and reports degraded runs, skipped documents and manual runs', () => {
    const messages = buildSummaryMessages(
      input({
        dryRun: true,
        nextRunAt: null,
        skippedInvalidDocuments: 4,
        degradedReason: 'no #admin channel',
      }),
    );
    expectAllValid(messages);
    const text = textOf(messages);
    expect(text).toContain(DRY_RUN_MARKER);
    expect(text).toContain('Warnings that would be sent');
    expect(text).toContain('Not scheduled');
    expect(text).toContain('4 documents broke the data contract');
    expect(text).toContain('no #admin channel');
  });

  it.each([1, 30, 300, 5000])('lists all %i undeliverable DMs with counts by reason', (count) => {
    const failed = failures(count);
    const messages = buildSummaryMessages(input({ failedDeliveries: failed }));
    expectAllValid(messages);
    const text = textOf(messages);
    for (const f of failed) expect(text).toContain(`<@${f.creatorId}> — ${f.phase} DM`);
    expect(text.match(/<@\d+>/g)).toHaveLength(count);
    expect(text).toContain(`${count} in total`);
    if (count >= 4) expect(text).toContain(`DMs closed or no mutual server: ${Math.ceil(count / 4)}`);
    expect(text).toContain(UNDELIVERABLE_TITLE);
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.summary);
  });

  it('never renders a non-snowflake creator id as markup', () => {
    const text = textOf(
      buildSummaryMessages(
        input({ failedDeliveries: [{ creatorId: '**x**', phase: 'warning', reason: 'other' }] }),
      ),
    );
    expect(text).toContain('\\*\\*x\\*\\* — warning DM — other error');
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_000)).toBe('12 s');
    expect(formatDuration(187_000)).toBe('3 min 07 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });
});
