/** The daily database maintenance of one guild, as a scheduled task. */
import { createMaintenanceActivities } from '../activities/maintenance-activities';
import { cleanupSettingsFor } from '../config';
import { DELETE_BATCH_SIZE } from '../db/batched-delete';
import type { MaintenanceResult } from '../maintenance/model';
import { describeMaintenance } from '../maintenance/report';
import type { MaintenanceInput } from '../workflows/database-maintenance';
import { taskManualWorkflowId, taskScheduleId, taskSearchAttributes } from './search-attributes';
import type { ScheduledTask } from './task';

export const MAINTENANCE_TASK = 'database-maintenance';

/** Statements per collection per run: 20 × 1,000 entries keeps a run to minutes; the next day continues. */
export const MAX_PURGE_BATCHES = 20;

export const databaseMaintenanceTask: ScheduledTask<MaintenanceResult> = {
  name: MAINTENANCE_TASK,
  description:
    'Verify and repair indexes, purge archive, logs and backups past retention, report collection statistics',
  workflowType: 'databaseMaintenance',
  // After the cleanup (03:00), so its purge and the day's deletions are done.
  schedule: { variable: 'MAINTENANCE_SCHEDULE', default: '30 3 * * *' },
  scheduleId: taskScheduleId(MAINTENANCE_TASK),
  manualWorkflowId: taskManualWorkflowId(MAINTENANCE_TASK),
  workflowArgs: (config, guildId, { dryRun }) => [
    {
      guildId,
      adminChannels: cleanupSettingsFor(config, guildId).adminChannels,
      discordTaskQueue: config.temporal.discordTaskQueue,
      retention: {
        archiveMs: config.cleanup.archiveRetentionMs,
        logMs: config.maintenance.logRetentionMs,
        backupDays: config.backup.retentionDays,
      },
      purge: { batchSize: DELETE_BATCH_SIZE, maxBatches: MAX_PURGE_BATCHES },
      dryRun,
    } satisfies MaintenanceInput,
  ],
  searchAttributes: (guildId) => taskSearchAttributes(MAINTENANCE_TASK, guildId),
  summary: (guildId, { dryRun }) => `Database maintenance of guild ${guildId}${dryRun ? ' (dry run)' : ''}`,
  describeResult: describeMaintenance,
  activities: ({ db, config, now }) => ({
    data: createMaintenanceActivities({ db, backupDir: config.backup.dir, ...(now ? { now } : {}) }),
  }),
};
