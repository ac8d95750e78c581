// Unit tests of the admin summary: the run in one blue embed, every undeliverable DM listed
// (in the embeds, or all of them with their reason in the attached undeliverable-dms.txt
// when they do not fit in three messages), small inputs unchanged.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FailedDelivery, UndeliverableReason } from '../../src/cleanup/model';
import {
  DRY_RUN_MARKER,
  EmbedColor,
  MAX_MESSAGES_PER_NOTIFICATION,
  SUMMARY_TITLE,
  UNDELIVERABLE_TITLE,
  buildSummaryMessages,
  formatDurationCompact,
  type SummaryMessageInput,
} from '../../src/discord/embeds';
import { smallCases } from './fixtures/small-notifications';
import { embedsOf, expectAllValid, fileText, filesOf, listingRows, textOf } from './notification-helpers';

const reasons: UndeliverableReason[] = ['dms-closed', 'unknown-user', 'left-guild', 'other'];
const failures = (count: number): FailedDelivery[] =>
  Array.from({ length: count }, (_, i) => ({
    creatorId: (400000000000000000n + BigInt(i)).toString(),
    phase: i % 3 === 0 ? 'deletion' : 'warning',
    reason: reasons[i % reasons.length]!,
  }));
const input = (overrides: Partial<SummaryMessageInput> = {}): SummaryMessageInput => ({
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

describe('summary messages (unit)', () => {
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
    const shown = text.match(/<@\d+>/g)?.length ?? 0;
    if (shown === count) {
      for (const f of failed) expect(text).toContain(`<@${f.creatorId}> — ${f.phase} DM`);
      expect(filesOf(messages)).toEqual([]);
    } else {
      expect(text).toContain(
        `… and ${(count - shown).toLocaleString('en-US')} more: every undeliverable DM is listed, with its reason, in the attached file undeliverable-dms.txt.`,
      );
      const rows = listingRows(fileText(messages), 'User id ');
      expect(rows).toHaveLength(count);
      const listed = new Set(rows);
      for (const f of failed) {
        const label = {
          'dms-closed': 'DMs closed or no mutual server',
          'unknown-user': 'unknown user',
          'left-guild': 'left the server',
          other: 'other error',
        }[f.reason];
        expect(listed.has(`${f.creatorId}   ${`${f.phase} DM`.padEnd(11)}   ${label}`)).toBe(true);
      }
    }
    expect(text).toContain(`${count.toString()} in total`);
    if (count >= 4) expect(text).toContain(`DMs closed or no mutual server: ${Math.ceil(count / 4)}`);
    expect(text).toContain(UNDELIVERABLE_TITLE);
    for (const embed of embedsOf(messages)) expect(embed.color).toBe(EmbedColor.summary);
  });

  it('5,000 undeliverable DMs: three messages, the file lists them all by phase and reason', () => {
    const messages = buildSummaryMessages(input({ failedDeliveries: failures(5000) }));
    expect(messages).toHaveLength(MAX_MESSAGES_PER_NOTIFICATION);
    expect(messages.at(-1)!.files!.map((f) => f.name)).toEqual(['undeliverable-dms.txt']);
    const text = fileText(messages);
    expect(text).toContain('Undeliverable DMs of the custom command cleanup in Guild\n');
    expect(text).toContain('5,000 DMs could not be delivered, by phase, reason, then user id.');
    // The run's figures stay in the first embed.
    expect(messages[0]!.embeds![0]!.fields!.map((f) => f.name)).toContain('Undeliverable DMs');
  });

  it.each(smallCases.summary.map((c, i) => [i, c] as const))(
    'leaves small summaries as they were, without files (case %i)',
    (_, { input: small, messages: count, sha256 }) => {
      const messages = buildSummaryMessages(small);
      expect(messages).toHaveLength(count);
      expect(messages.every((m) => !('files' in m))).toBe(true);
      expect(createHash('sha256').update(JSON.stringify(messages)).digest('hex')).toBe(sha256);
    },
  );

  it('never renders a non-snowflake creator id as markup', () => {
    const text = textOf(
      buildSummaryMessages(
        input({ failedDeliveries: [{ creatorId: '**x**', phase: 'warning', reason: 'other' }] }),
      ),
    );
    expect(text).toContain('\\*\\*x\\*\\* — warning DM — other error');
  });

  it('formats durations for people', () => {
    expect(formatDurationCompact(850)).toBe('850 ms');
    expect(formatDurationCompact(12_000)).toBe('12 s');
    expect(formatDurationCompact(187_000)).toBe('3 min 07 s');
    expect(formatDurationCompact(3_720_000)).toBe('1 h 02 min');
    expect(formatDurationCompact(Number.NaN)).toBe('unknown');
  });
});
