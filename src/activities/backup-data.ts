/**
 * The backup task's activities, on the main task queue: write the guild's backup of
 * the day, and purge those past retention. The directory and retention come from the
 * worker's configuration, so the workflow history carries names and counts only.
 */
import type { Db } from 'mongodb';
import type { Config } from '../config';
import { countGuildBackup, writeGuildBackup } from '../backup/export';
import { backupFile, utcDay } from '../backup/files';
import type { BackupCounts } from '../backup/format';
import { expiredBackups, purgeExpiredBackups } from '../backup/retention';
import { heartbeating } from './bounded';

export interface BackupWriteInput {
  guildId: string;
  /** The run's instant (epoch ms): the same on every attempt, so a retry replaces the same file. */
  at: number;
  dryRun: boolean;
}

export interface BackupWritten {
  /** The backup's name, `<guildId>-<YYYY-MM-DD>` (what `starter backup restore --from` takes). */
  name: string;
  path: string;
  counts: BackupCounts;
  /** Absent in a dry run (nothing written). */
  bytes?: number;
  sha256?: string;
}

export function createBackupActivities({ config, db }: { config: Config; db: Db }) {
  const { dir, retentionDays } = config.backup;
  return heartbeating({
    async backupWriteGuild({ guildId, at, dryRun }: BackupWriteInput): Promise<BackupWritten> {
      if (dryRun) {
        const file = backupFile(dir, guildId, utcDay(new Date(at)));
        return { name: file.name, path: file.path, counts: await countGuildBackup(db, guildId) };
      }
      const written = await writeGuildBackup({ db, dir, guildId, at: new Date(at) });
      const { name, path } = written.file;
      return { name, path, counts: written.counts, bytes: written.bytes, sha256: written.sha256 };
    },

    async backupPurgeExpired({ guildId, at, dryRun }: BackupWriteInput): Promise<{ removed: number }> {
      const options = { dir, guildId, retentionDays, now: new Date(at) };
      if (dryRun) return { removed: (await expiredBackups(options)).length };
      return purgeExpiredBackups(options);
    },
  });
}

export type BackupActivities = ReturnType<typeof createBackupActivities>;
