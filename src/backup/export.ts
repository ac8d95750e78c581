/**
 * Taking a guild's backup: every custom command and archive entry, streamed from
 * database cursors into the day's file (memory flat whatever the guild's size).
 */
import type { Db, Document } from 'mongodb';
import { COLLECTIONS } from '../db/contract';
import { backupFile, utcDay, type BackupFile } from './files';
import { endLine, headerLine, recordLine, type BackupCounts } from './format';
import { writeBackupFile, type WrittenFile } from './writer';

/** Documents per cursor batch: big enough to be quick, small enough to keep memory flat. */
const CURSOR_BATCH = 500;

export interface GuildBackupWritten extends WrittenFile {
  file: BackupFile;
  counts: BackupCounts;
}

export async function writeGuildBackup(options: {
  db: Db;
  dir: string;
  guildId: string;
  /** The backup's instant: its day names the file. */
  at: Date;
  /** Called every few hundred documents (the activity heartbeats). */
  progress?: (counts: BackupCounts) => void;
}): Promise<GuildBackupWritten> {
  const { db, guildId, at, progress } = options;
  const file = backupFile(options.dir, guildId, utcDay(at));
  const counts: BackupCounts = { commands: 0, archive: 0 };
  async function* lines(): AsyncGenerator<string> {
    yield headerLine(guildId, at);
    for (const [t, collection, key] of [
      ['command', COLLECTIONS.commands, 'commands'],
      ['archive', COLLECTIONS.archive, 'archive'],
    ] as const) {
      const cursor = db.collection<Document>(collection).find({ guildId }, { batchSize: CURSOR_BATCH });
      for await (const doc of cursor) {
        yield recordLine({ t, doc });
        counts[key] += 1;
        if ((counts.commands + counts.archive) % CURSOR_BATCH === 0) progress?.(counts);
      }
    }
    yield endLine(counts);
  }
  const written = await writeBackupFile(file, lines());
  return { file, counts, ...written };
}

/** What a backup would hold, without writing it (a dry run). */
export async function countGuildBackup(db: Db, guildId: string): Promise<BackupCounts> {
  const [commands, archive] = await Promise.all([
    db.collection(COLLECTIONS.commands).countDocuments({ guildId }),
    db.collection(COLLECTIONS.archive).countDocuments({ guildId }),
  ]);
  return { commands, archive };
}
