/**
 * The admin summary of one cleanup run. The original posted only when something happened,
 * dated the next run "now + 1 day" and dropped what it could not post; this one always has
 * the same fields, takes the next run time from the schedule, says when it is a dry run,
 * and lists every creator whose DM could not be delivered (as mentions, which do not ping:
 * messages go out with `allowed_mentions: { parse: [] }`), split over embeds when long;
 * when that list does not fit in three messages, the first ones are shown and every one,
 * with its reason, is in an attached `undeliverable-dms.txt`.
 */
import type { FailedDelivery, RunIncident, UndeliverableReason } from '../../cleanup/model';
import type { MessagePayload } from '../contract';
import { EmbedColor, FOOTER } from './colors';
import { escapeText, formatDateTime, formatGuildName, plural } from './escape';
import { STOP_AT_MESSAGES, fitNotification, type Overflow } from './fit';
import { undeliverableListing } from './listings';
import { EmbedComposer } from './split';
import { attachedFilesPhrase, formatCount, writeTextFiles } from './text-files';

export interface SummaryMessageInput {
  guildName: string;
  dryRun: boolean;
  warnedCreators: number;
  warnedCommands: number;
  deletedCommands: number;
  failedDeliveries: FailedDelivery[];
  stats: { activeCommands: number; creators: number; pendingDeletions: number };
  durationMs: number;
  /** The schedule's next action time, or null when the guild has no schedule (a manual run). */
  nextRunAt: Date | null;
  skippedInvalidDocuments: number;
  degradedReason?: string;
  /** The run's real undeliverable totals by reason (`failedDeliveries` may list only the first ones). */
  failuresByReason?: Partial<Record<string, number>>;
  /** What went wrong since the previous summary outside runs (deletions, deletion DMs). */
  incidents?: { total: number; listed: RunIncident[] };
}

export const SUMMARY_TITLE = '🧹 Custom Command Cleanup Summary';
export const DRY_RUN_MARKER = 'DRY RUN — nothing was changed or sent';
export const UNDELIVERABLE_TITLE = '📭 Undeliverable DMs';
/** Base name of the attached list: `undeliverable-dms.txt`, or `undeliverable-dms-1.txt`... */
export const UNDELIVERABLE_FILE_BASE = 'undeliverable-dms';

export const REASON_LABELS: Record<UndeliverableReason, string> = {
  'dms-closed': 'DMs closed or no mutual server',
  'unknown-user': 'unknown user',
  'left-guild': 'left the server',
  other: 'other error',
};

const REASON_ORDER: UndeliverableReason[] = ['dms-closed', 'left-guild', 'unknown-user', 'other'];

export function buildSummaryMessages(input: SummaryMessageInput): MessagePayload[] {
  const failures = sortFailures(input.failedDeliveries);
  return fitNotification({
    total: failures.length,
    compose: (shown, overflow) => compose(input, failures, shown, overflow),
    files: () => {
      const listing = undeliverableListing(input.guildName, failures, reasonLabel);
      return writeTextFiles(UNDELIVERABLE_FILE_BASE, listing.header, listing.entries, {
        omittedNote: (n) =>
          `… ${formatCount(n)} more undeliverable DMs did not fit in the files of one message.`,
      });
    },
  });
}

function compose(
  input: SummaryMessageInput,
  failures: FailedDelivery[],
  shown: number,
  overflow: Overflow | null,
): MessagePayload[] {
  const title = input.dryRun ? `${SUMMARY_TITLE} (dry run)` : SUMMARY_TITLE;
  const composer = new EmbedComposer({
    color: EmbedColor.summary,
    title,
    continuationTitle: `${title} (continued)`,
    footer: FOOTER,
    stopAtMessages: STOP_AT_MESSAGES,
  });

  const lines = [`Cleanup of ${formatGuildName(input.guildName)} finished.`];
  if (input.dryRun) lines.unshift(`**${DRY_RUN_MARKER}.** The numbers are what a real run would do.`);
  composer.addText(lines.join('\n'));

  composer.addField(
    input.dryRun ? 'Warnings that would be sent' : 'Warnings sent',
    `${plural(input.warnedCreators, 'user')}, ${plural(input.warnedCommands, 'command')}`,
    true,
  );
  composer.addField('Commands deleted', String(input.deletedCommands), true);
  composer.addField(
    'Undeliverable DMs',
    input.failuresByReason
      ? countsByReason(input.failuresByReason)
      : undeliverableCounts(input.failedDeliveries),
    true,
  );
  composer.addField(
    'Current statistics',
    [
      `Active commands: ${input.stats.activeCommands}`,
      `Creators: ${input.stats.creators}`,
      `Pending deletions: ${input.stats.pendingDeletions}`,
    ].join('\n'),
    true,
  );
  composer.addField('Run duration', formatDurationCompact(input.durationMs), true);
  composer.addField('Next run', input.nextRunAt ? formatDateTime(input.nextRunAt) : 'Not scheduled', true);
  if (input.skippedInvalidDocuments > 0) {
    composer.addField(
      'Skipped invalid documents',
      `${plural(input.skippedInvalidDocuments, 'document')} broke the data contract and were left untouched.`,
    );
  }
  if (input.degradedReason) composer.addField('Degraded', escapeText(input.degradedReason));
  if (input.incidents && input.incidents.total > 0) {
    composer.addField('Problems since the last summary', incidentLines(input.incidents));
  }

  if (failures.length > 0) {
    composer.startEmbed(UNDELIVERABLE_TITLE);
    failures.slice(0, shown).forEach((failure) => {
      composer.addText(`${mention(failure.creatorId)} — ${failure.phase} DM — ${reasonLabel(failure)}`);
    });
    if (overflow) composer.addText(overflowLine(overflow));
  }
  return composer.finish();
}

function reasonLabel(failure: FailedDelivery): string {
  return REASON_LABELS[failure.reason] ?? failure.reason;
}

/** Says how many more there are and where they all are; never a silent cut. */
function overflowLine({ hidden, files }: Overflow): string {
  const missing =
    files.omitted > 0 ? ` (all but the last ${formatCount(files.omitted)}, too many for one message)` : '';
  return `… and ${formatCount(hidden)} more: every undeliverable DM is listed, with its reason, in ${attachedFilesPhrase(files.files)}${missing}.`;
}

function undeliverableCounts(failures: FailedDelivery[]): string {
  if (failures.length === 0) return 'None';
  const counts = new Map<UndeliverableReason, number>();
  for (const f of failures) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const byReason = [...counts]
    .sort(([a], [b]) => REASON_ORDER.indexOf(a) - REASON_ORDER.indexOf(b))
    .map(([reason, count]) => `${REASON_LABELS[reason] ?? reason}: ${count}`);
  return [`${failures.length} in total`, ...byReason].join('\n');
}

function countsByReason(byReason: Partial<Record<string, number>>): string {
  const entries = Object.entries(byReason).filter((e): e is [string, number] => (e[1] ?? 0) > 0);
  if (entries.length === 0) return 'None';
  const total = entries.reduce((n, [, count]) => n + count, 0);
  const label = (reason: string) =>
    REASON_LABELS[reason as UndeliverableReason] ?? EXTRA_REASON_LABELS[reason] ?? reason;
  return [
    `${formatCount(total)} in total`,
    ...entries.map(([reason, count]) => `${label(reason)}: ${formatCount(count)}`),
  ].join('\n');
}

const EXTRA_REASON_LABELS: Record<string, string> = {
  failed: 'failed after retries (tried again next run)',
  'grace-not-started': 'grace period could not start',
};

const INCIDENT_LABELS: Record<RunIncident['kind'], string> = {
  'deletion-failed': 'could not be deleted (skipped)',
  'deletion-dm-failed': 'deletion DM not delivered',
  'grace-not-started': 'grace period could not start',
};

/** A few lines fit in one field (1024 characters); the count says how many there are in all. */
function incidentLines({ total, listed }: { total: number; listed: RunIncident[] }): string {
  const shown = listed
    .slice(0, 8)
    .map(
      (i) =>
        `${mention(i.creatorId)}: ${plural(i.commands, 'command')} ${INCIDENT_LABELS[i.kind]} (${escapeText(i.reason).slice(0, 60)})`,
    );
  if (total > shown.length) shown.push(`… and ${formatCount(total - shown.length)} more`);
  return shown.join('\n');
}

function sortFailures(failures: FailedDelivery[]): FailedDelivery[] {
  return [...failures].sort(
    (a, b) =>
      a.phase.localeCompare(b.phase) ||
      REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason) ||
      a.creatorId.localeCompare(b.creatorId),
  );
}

/** A user mention for a snowflake; anything else is shown as escaped text, never as markup. */
function mention(userId: string): string {
  return /^\d{15,21}$/.test(userId) ? `<@${userId}>` : escapeText(userId);
}

/** "1 h 02 min", "3 min 07 s", "12 s", "850 ms": a duration an admin reads at a glance. */
export function formatDurationCompact(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}
