/**
 * A user's erasure reaches the backups too: each backup holding a command or an
 * archive entry of theirs is rewritten without them (atomically, with a new
 * checksum), so a later restore cannot bring their data back. A file that cannot be
 * verified (changed or damaged) is left as it is and named in the result, for an
 * operator to delete: the other files are still cleaned, and no retry can mend it.
 */
import path from 'node:path';
import { listBackupFiles, listBackupGuilds, type BackupFile } from './files';
import {
  BackupCorruptError,
  endLine,
  headerLine,
  recordLine,
  type BackupCounts,
  type BackupRecord,
} from './format';
import { readBackup } from './reader';
import { writeBackupFile } from './writer';

const byUser = (userId: string) => (record: BackupRecord) => record.doc.creatorId === userId;

export async function eraseUserFromBackups(options: {
  dir: string;
  userId: string;
  guildId?: string;
}): Promise<BackupErasure> {
  const { dir, userId } = options;
  const guilds = options.guildId ? [options.guildId] : await listBackupGuilds(dir);
  let files = 0;
  let records = 0;
  const unverifiedFiles: string[] = [];
  for (const guildId of guilds) {
    for (const file of await listBackupFiles(dir, guildId)) {
      let removed: number;
      try {
        removed = await eraseFromFile(file, byUser(userId));
      } catch (error) {
        if (!(error instanceof BackupCorruptError)) throw error;
        unverifiedFiles.push(path.relative(dir, file.path));
        continue;
      }
      if (removed > 0) {
        files += 1;
        records += removed;
      }
    }
  }
  return { files, records, ...(unverifiedFiles.length ? { unverifiedFiles } : {}) };
}

export interface BackupErasure {
  /** Files rewritten without the user's records. */
  files: number;
  /** Records removed from them. */
  records: number;
  /** Files that could not be verified, left as they are (paths under the backup directory); absent when none. */
  unverifiedFiles?: string[];
}

/** Rewrites the file without the matching records; how many went (0: the file is left alone). */
async function eraseFromFile(file: BackupFile, matches: (record: BackupRecord) => boolean): Promise<number> {
  // First the whole file, verified, for what it holds of theirs.
  let found = 0;
  const scan = readBackup(file, { guildId: file.guildId });
  let next = await scan.next();
  for (; !next.done; next = await scan.next()) if (matches(next.value)) found += 1;
  if (found === 0) return 0;
  const { header } = next.value;
  const kept: BackupCounts = { commands: 0, archive: 0 };
  async function* lines(): AsyncGenerator<string> {
    yield headerLine(file.guildId, new Date(header.createdAt));
    for await (const record of readBackup(file, { guildId: file.guildId, trusted: true })) {
      if (matches(record)) continue;
      kept[record.t === 'command' ? 'commands' : 'archive'] += 1;
      yield recordLine(record);
    }
    yield endLine(kept);
  }
  await writeBackupFile(file, lines());
  return found;
}
