/**
 * Backup retention: a guild keeps its backups of the last `retentionDays` UTC days
 * (today's included), so N daily runs leave N files. Shared by the backup task and
 * the database maintenance task.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { guildBackupDir, listBackupFiles, utcDay, type BackupFile } from './files';
import { TEMPORARY_MARK } from './writer';
import { DAY_MS } from '../duration';

/** The backups of a guild past retention at `now`, oldest first. */
export async function expiredBackups(options: {
  dir: string;
  guildId: string;
  retentionDays: number;
  now: Date;
}): Promise<BackupFile[]> {
  const { dir, guildId, retentionDays, now } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retentionDays must be a positive integer, got ${retentionDays}`);
  }
  // The oldest day still kept; YYYY-MM-DD strings compare as dates.
  const oldestKept = utcDay(new Date(Date.parse(utcDay(now)) - (retentionDays - 1) * DAY_MS));
  return (await listBackupFiles(dir, guildId)).filter((file) => file.day < oldestKept);
}

export async function purgeExpiredBackups(options: {
  dir: string;
  guildId: string;
  retentionDays: number;
  now: Date;
}): Promise<{ removed: number }> {
  const expired = await expiredBackups(options);
  for (const file of expired) {
    // The sidecar first: a file left without one is refused, never trusted, if we stop midway.
    await rm(file.checksumPath, { force: true });
    await rm(file.path, { force: true });
  }
  await removeAbandonedTemporaries(guildBackupDir(options.dir, options.guildId), options.now);
  return { removed: expired.length };
}

/** Temporary files of writes that died midway (a killed worker), once a day old. */
async function removeAbandonedTemporaries(dir: string, now: Date): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.filter((name) => name.includes(TEMPORARY_MARK))) {
    const file = path.join(dir, entry);
    const modified = await stat(file).then(
      (s) => s.mtimeMs,
      () => now.getTime(),
    );
    if (now.getTime() - modified > DAY_MS) await rm(file, { force: true });
  }
}
