/** The backups of a guild as an operator sees them: each one verified, and the one `--from` names. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { BACKUP_SUFFIX, CHECKSUM_SUFFIX, backupFile, listBackupFiles, type BackupFile } from './files';
import { BackupCorruptError } from './format';
import { verifyBackup } from './reader';

/** One line of `starter backup list --json`. */
export interface BackupListing {
  name: string;
  day: string;
  path: string;
  /** Whether the file passed every check (checksum, gzip, lines, guild, end line). */
  ok: boolean;
  /** Why it did not; absent when ok. */
  problem?: string;
  createdAt?: string;
  bytes?: number;
  sha256?: string;
  commands?: number;
  archive?: number;
}

/** The guild's backups, newest first, each read through and checked. */
export async function describeBackups(dir: string, guildId: string): Promise<BackupListing[]> {
  const files = (await listBackupFiles(dir, guildId)).reverse();
  const listings: BackupListing[] = [];
  for (const file of files) {
    const base = { name: file.name, day: file.day, path: file.path };
    try {
      const { header, counts, bytes, sha256 } = await verifyBackup(file, guildId);
      listings.push({ ...base, ok: true, createdAt: header.createdAt, bytes, sha256, ...counts });
    } catch (error) {
      if (!(error instanceof BackupCorruptError)) throw error;
      listings.push({ ...base, ok: false, problem: error.reason });
    }
  }
  return listings;
}

/**
 * The backup `--from` names: absent, the guild's newest; a day (YYYY-MM-DD) or a name
 * (`<guildId>-<day>`) in the backup directory; anything else, a file's path.
 */
export async function findBackup(
  dir: string,
  guildId: string,
  from: string | undefined,
): Promise<BackupFile | { name: string; path: string; checksumPath: string }> {
  if (from === undefined) {
    const newest = (await listBackupFiles(dir, guildId)).at(-1);
    if (!newest) throw new Error(`No backup of guild ${guildId} in ${dir}`);
    return newest;
  }
  const day = new RegExp(`^(?:${guildId}-)?(\\d{4}-\\d{2}-\\d{2})(?:\\.jsonl\\.gz)?$`).exec(from)?.[1];
  const found = day
    ? backupFile(dir, guildId, day)
    : {
        name: path.basename(from).replace(BACKUP_SUFFIX, ''),
        path: path.resolve(from),
        checksumPath: path.resolve(from) + CHECKSUM_SUFFIX,
      };
  try {
    await access(found.path);
  } catch {
    throw new Error(`No backup ${from} of guild ${guildId} (looked for ${found.path})`);
  }
  return found;
}
