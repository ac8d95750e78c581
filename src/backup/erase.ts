/**
 * A user's erasure reaches the backups too: each backup holding a command or an
 * archive entry of theirs is rewritten without them (atomically, with a new
 * checksum), so a later restore cannot bring their data back. A file that cannot be
 * verified (changed or damaged) is left as it is and named in the result, for an
 * operator to delete: the other files are still cleaned, and no retry can mend it.
 */
import { access } from 'node:fs/promises';
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
      const removed = await eraseFromSettledFile(file, byUser(userId));
      if (removed === 'unverified') {
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

/** How long a file that failed its checks gets before it is looked at again. */
const RECHECK_MS = 1000;

/**
 * `eraseFromFile`, looking twice at a file that fails its checks: a backup being written
 * right now is briefly between its two renames (a new file, the old checksum), and the
 * retention sweep may have removed the checksum and not yet the file. Gone: nothing to erase.
 */
async function eraseFromSettledFile(
  file: BackupFile,
  matches: (record: BackupRecord) => boolean,
): Promise<number | 'unverified'> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await eraseFromFile(file, matches);
    } catch (error) {
      if (isMissing(error)) return 0;
      if (!(error instanceof BackupCorruptError)) throw error;
      if (!(await exists(file.path))) return 0;
      if (attempt === 2) return 'unverified';
      await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    }
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
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
