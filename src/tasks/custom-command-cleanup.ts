/** The daily custom command cleanup of one guild, as a scheduled task. */
import { cleanupScheduleId, CLEANUP_TASK, manualCleanupWorkflowId } from '../cleanup/policy';
import { BOT_TASK, GUILD_ID } from '../search-attributes';
import type { CleanupInput } from '../workflows/custom-command-cleanup';
import type { ScheduledTask } from './task';
import { cleanupSettingsFor } from '../config';

export const customCommandCleanupTask: ScheduledTask = {
  name: CLEANUP_TASK,
  description:
    'Warn creators of unused custom commands, delete them after the grace period, report to admins',
  workflowType: 'customCommandCleanup',
  scheduleId: cleanupScheduleId,
  manualWorkflowId: manualCleanupWorkflowId,
  spec: (config) =>
    'cron' in config.cleanup.schedule
      ? { cronExpressions: [config.cleanup.schedule.cron] }
      : { intervals: [{ every: config.cleanup.schedule.everyMs }] },
  workflowArgs: (config, guildId, { dryRun }) => [
    {
      guildId,
      ...cleanupSettingsFor(config, guildId),
      discordTaskQueue: config.temporal.discordTaskQueue,
      dryRun,
    } satisfies CleanupInput,
  ],
  searchAttributes: (guildId) => [
    { key: GUILD_ID, value: guildId },
    { key: BOT_TASK, value: CLEANUP_TASK },
  ],
  summary: (guildId, { dryRun }) => `Custom command cleanup of guild ${guildId}${dryRun ? ' (dry run)' : ''}`,
};
