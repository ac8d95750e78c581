/** The daily backup of one guild's custom commands and archive, as a scheduled task. */
import { createBackupActivities } from '../activities/backup-data';
import type { BackupInput, BackupResult } from '../workflows/backup';
import { perGuildTask } from './search-attributes';
import type { ScheduledTask } from './task';

export const BACKUP_TASK = 'backup';

export const backupTask: ScheduledTask<BackupResult> = {
  ...perGuildTask(BACKUP_TASK, 'Backup'),
  description:
    'Export every custom command and archive entry of the guild to a checksummed backup file; purge old backups',
  workflowType: 'guildBackup',
  // Before the cleanup (03:00 by default), so the day's backup holds what it may delete.
  schedule: { variable: 'BACKUP_SCHEDULE', default: '30 2 * * *' },
  workflowArgs: (_config, guildId, { dryRun }) => [{ guildId, dryRun } satisfies BackupInput],
  describeResult,
  activities: ({ config, db }) => ({ data: createBackupActivities({ config, db }) }),
};

function describeResult(workflowId: string, r: BackupResult): string {
  return [
    `${workflowId}${r.dryRun ? ' (dry run: nothing written or removed)' : ''}`,
    `  backup: ${r.name}${r.dryRun ? ' (not written)' : ` at ${r.path}`}`,
    `  commands: ${r.counts.commands}; archive entries: ${r.counts.archive}`,
    ...(r.bytes === undefined ? [] : [`  size: ${r.bytes} bytes; sha256 ${r.sha256}`]),
    `  old backups ${r.dryRun ? 'to remove' : 'removed'}: ${r.removed}`,
  ].join('\n');
}
