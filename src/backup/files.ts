/**
 * Where backups live: `<dir>/<guildId>/<guildId>-<YYYY-MM-DD>.jsonl.gz`, one per guild
 * and UTC day, each with a `.sha256` sidecar holding the file's checksum. The name is
 * the whole index: listing, retention and the default restore read nothing else.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export const BACKUP_SUFFIX = '.jsonl.gz';
export const CHECKSUM_SUFFIX = '.sha256';

export interface BackupFile {
  /** `<guildId>-<YYYY-MM-DD>`: what `--from` accepts. */
  name: string;
  guildId: string;
  /** The UTC day the backup was taken, YYYY-MM-DD. */
  day: string;
  path: string;
  checksumPath: string;
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function guildBackupDir(dir: string, guildId: string): string {
  return path.join(dir, guildId);
}

export function backupFile(dir: string, guildId: string, day: string): BackupFile {
  const name = `${guildId}-${day}`;
  const file = path.join(guildBackupDir(dir, guildId), name + BACKUP_SUFFIX);
  return { name, guildId, day, path: file, checksumPath: file + CHECKSUM_SUFFIX };
}

/** The backups of a guild, oldest first; other files in the directory are ignored. */
export async function listBackupFiles(dir: string, guildId: string): Promise<BackupFile[]> {
  let entries: string[];
  try {
    entries = await readdir(guildBackupDir(dir, guildId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pattern = new RegExp(`^${guildId}-(\\d{4}-\\d{2}-\\d{2})${BACKUP_SUFFIX.replaceAll('.', '\\.')}$`);
  return entries
    .map((entry) => pattern.exec(entry)?.[1])
    .filter((day): day is string => day !== undefined)
    .sort()
    .map((day) => backupFile(dir, guildId, day));
}

/** The guilds with a backup directory. */
export async function listBackupGuilds(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && /^\d{17,20}$/.test(e.name)).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
