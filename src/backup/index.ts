/** Backups of each guild's custom commands and archive: writing, reading, restoring, retention, erasure. */
export { writeGuildBackup, countGuildBackup } from './export';
export { eraseUserFromBackups, type BackupErasure } from './erase';
export { backupFile, listBackupFiles, listBackupGuilds, type BackupFile } from './files';
export { BackupCorruptError, type BackupCounts } from './format';
export { readBackup, verifyBackup, type BackupSummary } from './reader';
export { restoreGuildBackup, type RestoreResult } from './restore';
export { expiredBackups, purgeExpiredBackups } from './retention';
export { describeBackups, findBackup, type BackupListing } from './catalog';
