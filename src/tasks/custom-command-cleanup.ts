/** The daily custom command cleanup of one guild, as a scheduled task. */
import { CLEANUP_TASK } from '../cleanup/policy';
import type { CleanupResult } from '../cleanup/model';
import { cleanupSettingsFor } from '../config';
import { createCleanupActivities } from '../activities/wiring';
import type { CleanupInput } from '../workflows/custom-command-cleanup';
import { perGuildTask } from './search-attributes';
import type { ScheduledTask } from './task';

export const customCommandCleanupTask: ScheduledTask<CleanupResult> = {
  ...perGuildTask(CLEANUP_TASK, 'Custom command cleanup'),
  description:
    'Warn creators of unused custom commands, delete them after the grace period, report to admins',
  workflowType: 'customCommandCleanup',
  schedule: { variable: 'CLEANUP_SCHEDULE', default: '0 3 * * *' },
  workflowArgs: (config, guildId, { dryRun }) => [
    {
      guildId,
      ...cleanupSettingsFor(config, guildId),
      discordTaskQueue: config.temporal.discordTaskQueue,
      dryRun,
    } satisfies CleanupInput,
  ],
  describeResult,
  activities: async ({ db, temporal, discord, schedules, config, now }) => {
    const { data, discord: discordActivities } = await createCleanupActivities({
      db,
      temporal,
      discord,
      schedules,
      taskQueue: config.temporal.taskQueue,
      archiveRetentionMs: config.cleanup.archiveRetentionMs,
      ...(now ? { now } : {}),
    });
    return { data, discord: discordActivities };
  },
};

function describeResult(workflowId: string, r: CleanupResult): string {
  if (r.status === 'refused')
    return `${workflowId} refused, nothing done: ${r.refusedBecause ?? 'another run in progress'}`;
  return [
    `${workflowId}${r.dryRun ? ' (dry run: nothing changed or sent)' : ''}`,
    `  warned: ${r.warnedCommands} command(s) of ${r.warnedCreators} creator(s)`,
    `  deleted since last summary: ${r.deletedCommands}`,
    `  undeliverable DMs: ${r.failedDeliveries}${r.failures.map((f) => `\n    ${f.creatorId} ${f.phase}: ${f.reason}`).join('')}`,
    ...(r.incidents?.total ? [`  problems since last summary: ${r.incidents.total}`] : []),
    `  invalid documents skipped: ${r.skippedInvalidDocuments}`,
    `  admin summary: ${r.summary.status}${r.summary.reason ? ` (${r.summary.reason})` : ''}`,
  ].join('\n');
}
