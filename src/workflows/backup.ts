/**
 * One guild's daily backup, started by its Schedule (or by hand):
 *   1. write every custom command and archive entry of the guild to the day's file
 *      (gzip'd JSON lines with a sha256 sidecar, replaced whole if run again that day);
 *   2. purge the guild's backups past retention.
 * The history holds the file's name, counts and checksum, never a command's content.
 * A dry run counts what it would write and remove, and writes nothing.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { BackupActivities, BackupWritten } from '../activities';

/**
 * Streaming a large guild to disk takes minutes; the heartbeat tells a dead worker from
 * a busy one, and a disk or database outage is retried for hours before the run fails.
 */
const backupActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

export interface BackupInput {
  guildId: string;
  dryRun?: boolean;
}

export interface BackupResult extends BackupWritten {
  guildId: string;
  dryRun: boolean;
  createdAt: string;
  /** Backups past retention removed (in a dry run: that would be). */
  removed: number;
}

export async function guildBackup(input: BackupInput): Promise<BackupResult> {
  const dryRun = input.dryRun ?? false;
  // Workflow time: the same on replay and on every activity attempt, so a retry rewrites the same day's file.
  const at = Date.now();
  const step = { guildId: input.guildId, at, dryRun };
  const written = await activities('Write the guild backup').backupWriteGuild(step);
  const { removed } = await activities('Purge backups past retention').backupPurgeExpired(step);
  return { guildId: input.guildId, dryRun, createdAt: new Date(at).toISOString(), ...written, removed };
}

const activities = (summary: string) =>
  proxyActivities<BackupActivities>({ ...backupActivityOptions, summary });
