/**
 * The backup files on their own (a temporary directory, no servers): retention by day,
 * the sweep of abandoned temporary files, and a user's erasure from every backup.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eraseUserFromBackups,
  listBackupFiles,
  purgeExpiredBackups,
  readBackup,
  verifyBackup,
} from '../../../src/backup';
import { backupFile, guildBackupDir } from '../../../src/backup/files';
import {
  BackupCorruptError,
  endLine,
  headerLine,
  recordLine,
  type BackupRecord,
} from '../../../src/backup/format';
import { checksumLine, MAX_LINE_CHARS } from '../../../src/backup/reader';
import { writeBackupFile } from '../../../src/backup/writer';
import { seedArchive, seedCommands } from './seed';
import { DAY_MS } from '../../../src/duration';

const GUILD = '123456789012345678';
const ALICE = '223456789012345678';
const BOB = '323456789012345678';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'backup-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A backup of the seed (both users' commands and archive entries) for `day`. */
async function writeSeedBackup(day: string, guildId = GUILD) {
  const records: BackupRecord[] = [
    ...seedCommands(guildId, [ALICE, BOB]).map((doc) => ({ t: 'command' as const, doc })),
    ...seedArchive(guildId, [ALICE, BOB]).map((doc) => ({ t: 'archive' as const, doc })),
  ];
  const lines = [
    headerLine(guildId, new Date(`${day}T02:30:00Z`)),
    ...records.map(recordLine),
    endLine({ commands: 3, archive: 2 }),
  ];
  const file = backupFile(dir, guildId, day);
  await writeBackupFile(file, Readable.from(lines));
  return file;
}

describe('backup retention', () => {
  it('keeps the last N UTC days (today included) and removes older files with their checksums', async () => {
    const days = ['2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10'];
    for (const day of days) await writeSeedBackup(day);
    const other = await writeSeedBackup('2024-01-01', '923456789012345678');

    const now = new Date('2024-03-10T23:59:00Z');
    expect(await purgeExpiredBackups({ dir, guildId: GUILD, retentionDays: 3, now })).toEqual({ removed: 3 });

    expect((await listBackupFiles(dir, GUILD)).map((f) => f.day)).toEqual([
      '2024-03-08',
      '2024-03-09',
      '2024-03-10',
    ]);
    expect((await readdir(guildBackupDir(dir, GUILD))).length).toBe(6);
    // Another guild's backups are its own retention's business.
    expect((await listBackupFiles(dir, other.guildId)).length).toBe(1);
    expect(await purgeExpiredBackups({ dir, guildId: GUILD, retentionDays: 3, now })).toEqual({ removed: 0 });
  });

  it('sweeps temporary files of a write that died, once a day old, and leaves a fresh one', async () => {
    await writeSeedBackup('2024-03-10');
    const abandoned = path.join(guildBackupDir(dir, GUILD), `${GUILD}-2024-03-09.jsonl.gz.tmp-1-dead`);
    const inFlight = path.join(guildBackupDir(dir, GUILD), `${GUILD}-2024-03-10.jsonl.gz.tmp-2-live`);
    await writeFile(abandoned, 'x');
    await writeFile(inFlight, 'x');
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 2 * DAY_MS);
    await utimes(abandoned, twoDaysAgo, twoDaysAgo);

    await purgeExpiredBackups({ dir, guildId: GUILD, retentionDays: 30, now });
    const left = await readdir(guildBackupDir(dir, GUILD));
    expect(left).toContain(path.basename(inFlight));
    expect(left).not.toContain(path.basename(abandoned));
  });

  it('refuses a retention that is not a positive whole number of days', async () => {
    await expect(
      purgeExpiredBackups({ dir, guildId: GUILD, retentionDays: 0, now: new Date() }),
    ).rejects.toThrow(/positive integer/);
  });
});

describe('eraseUserFromBackups', () => {
  it('rewrites every backup without the user’s records, with a valid new checksum, and leaves files without them alone', async () => {
    const first = await writeSeedBackup('2024-03-09');
    const second = await writeSeedBackup('2024-03-10');
    const elsewhere = await writeSeedBackup('2024-03-10', '923456789012345678');
    const untouched = await readFile(elsewhere.path);

    expect(await eraseUserFromBackups({ dir, userId: BOB, guildId: GUILD })).toEqual({
      files: 2,
      records: 4,
    });

    for (const file of [first, second]) {
      const summary = await verifyBackup(file, GUILD);
      expect(summary.counts).toEqual({ commands: 2, archive: 1 });
      const creators: string[] = [];
      for await (const record of readBackup(file)) creators.push(record.doc.creatorId as string);
      expect(creators).toEqual([ALICE, ALICE, ALICE]);
      expect(gunzipSync(await readFile(file.path)).toString()).not.toContain(BOB);
    }
    expect(await readFile(elsewhere.path)).toEqual(untouched);

    // Every guild when none is named; nothing left to erase the second time.
    expect(await eraseUserFromBackups({ dir, userId: BOB })).toEqual({ files: 1, records: 2 });
    expect(await eraseUserFromBackups({ dir, userId: BOB })).toEqual({ files: 0, records: 0 });
  });

  it('cleans the other backups past a damaged one, and names the damaged one, left as it was', async () => {
    const before = await writeSeedBackup('2024-03-09');
    const damaged = await writeSeedBackup('2024-03-10');
    const after = await writeSeedBackup('2024-03-11');
    const bytes = await readFile(damaged.path);
    bytes[bytes.length - 12] = 0xff - bytes[bytes.length - 12]!;
    await writeFile(damaged.path, bytes);

    expect(await eraseUserFromBackups({ dir, userId: BOB })).toEqual({
      files: 2,
      records: 4,
      unverifiedFiles: [path.relative(dir, damaged.path)],
    });
    for (const file of [before, after]) {
      expect(gunzipSync(await readFile(file.path)).toString()).not.toContain(BOB);
    }
    expect(await readFile(damaged.path)).toEqual(bytes);
  });

  it('looks again at a file caught mid-write (its checksum not yet renamed) or mid-sweep (going away)', async () => {
    const writing = await writeSeedBackup('2024-03-09');
    const swept = await writeSeedBackup('2024-03-10');
    const checksum = await readFile(writing.checksumPath, 'utf8');
    await writeFile(
      writing.checksumPath,
      checksum.replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
    );
    await rm(swept.checksumPath);
    setTimeout(() => {
      void writeFile(writing.checksumPath, checksum);
      void rm(swept.path);
    }, 300);

    expect(await eraseUserFromBackups({ dir, userId: BOB })).toEqual({ files: 1, records: 2 });
    expect(gunzipSync(await readFile(writing.path)).toString()).not.toContain(BOB);
  });
});

describe('readBackup', () => {
  it('reads a record whose line spans many gzip chunks, exactly as written', async () => {
    const [doc] = seedCommands(GUILD, [ALICE, BOB]);
    // Three-byte characters: some straddle two gunzip chunks.
    const big = { ...doc!, content: '€'.repeat(300_000) };
    const file = backupFile(dir, GUILD, '2024-03-10');
    await writeBackupFile(
      file,
      Readable.from([
        headerLine(GUILD, new Date('2024-03-10T02:30:00Z')),
        recordLine({ t: 'command', doc: big }),
        endLine({ commands: 1, archive: 0 }),
      ]),
    );
    const lines = [];
    for await (const record of readBackup(file, { guildId: GUILD })) lines.push(recordLine(record));
    // Compared as written: the reader gives numbers back typed (Int32), as MongoDB holds them.
    expect(lines).toEqual([recordLine({ t: 'command', doc: big })]);
  });

  it('refuses a line longer than any record (a forged file, valid checksum) as damaged, not a crash', async () => {
    const file = backupFile(dir, GUILD, '2024-03-10');
    await mkdir(path.dirname(file.path), { recursive: true });
    const header = headerLine(GUILD, new Date('2024-03-10T02:30:00Z'));
    const gz = gzipSync(Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(MAX_LINE_CHARS + 1, 'x')]));
    await writeFile(file.path, gz);
    await writeFile(
      file.checksumPath,
      checksumLine(createHash('sha256').update(gz).digest('hex'), file.path),
    );
    await expect(verifyBackup(file, GUILD)).rejects.toThrow(
      new BackupCorruptError(file.path, `a line longer than ${MAX_LINE_CHARS} characters: not a backup`),
    );
  });
});
