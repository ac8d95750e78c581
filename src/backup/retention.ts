/**
 * Backup retention: a guild keeps its backups of the last `retentionDays` UTC days
 * (today's included), so N daily runs leave N files. Shared by the backup task and
 * the database maintenance task.
 */
import { rm } from 'node:fs/promises';
import { listBackupFiles, utcDay } from './files';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function purgeExpiredBackups(options: {
  dir: string;
  guildId: string;
  retentionDays: number;
  now: Date;
}): Promise<{ removed: number }> {
  const { dir, guildId, retentionDays, now } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retentionDays must be a positive integer, got ${retentionDays}`);
  }
  // The oldest day still kept; YYYY-MM-DD strings compare as dates.
  const oldestKept = utcDay(new Date(Date.parse(utcDay(now)) - (retentionDays - 1) * DAY_MS));
  let removed = 0;
  for (const file of await listBackupFiles(dir, guildId)) {
    if (file.day >= oldestKept) continue;
    // The sidecar first: a file without one is refused, never trusted, if we stop midway.
    await rm(file.checksumPath, { force: true });
    await rm(file.path, { force: true });
    removed += 1;
  }
  return { removed };
}
