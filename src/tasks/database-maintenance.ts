/** The daily database maintenance of one guild, as a scheduled task. */
import { createMaintenanceActivities } from '../activities/maintenance-activities';
import { cleanupSettingsFor } from '../config';
import { DELETE_BATCH_SIZE } from '../db/batched-delete';
import type { MaintenanceResult } from '../maintenance/model';
import { describeMaintenance } from '../maintenance/report';
import type { MaintenanceInput } from '../workflows/database-maintenance';
import { perGuildTask } from './search-attributes';
import type { ScheduledTask } from './task';

export const MAINTENANCE_TASK = 'database-maintenance';

/** Statements per collection per run: 20 × 1,000 entries keeps a run to minutes; the next day continues. */
export const MAX_PURGE_BATCHES = 20;

export const databaseMaintenanceTask: ScheduledTask<MaintenanceResult> = {
  ...perGuildTask(MAINTENANCE_TASK, 'Database maintenance'),
  description:
    'Verify and repair indexes, purge archive, logs and backups past retention, report collection statistics',
  workflowType: 'databaseMaintenance',
  // After the cleanup (03:00), so its purge and the day's deletions are done.
  schedule: { variable: 'MAINTENANCE_SCHEDULE', default: '30 3 * * *' },
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
  describeResult: describeMaintenance,
  activities: ({ db, config, now }) => ({
    data: createMaintenanceActivities({ db, backupDir: config.backup.dir, ...(now ? { now } : {}) }),
  }),
};
