/**
 * The backup task end to end on the real servers: `starter run backup` starts the
 * workflow on the dev server, run by every task's workers (startTaskWorkers) against a
 * FerretDB test database, writing to a temporary BACKUP_DIR; `starter backup restore`
 * and `list` read that directory and write the database as an operator would.
 */
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { backupFile } from '../../../src/backup/files';
import { fileChecksum } from '../../../src/backup/reader';
import { COLLECTIONS } from '../../../src/db';
import { DEMO_MEMBERS, startDiscordEmulator, type DiscordEmulator } from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';
import { cli, newGuildId } from '../../starter/cli';
import { guildDocuments, insertSeed, seedArchive, seedCommands } from './seed';

const creators: [string, string] = [DEMO_MEMBERS.alice, DEMO_MEMBERS.bob];

let temporal: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
let backupDir: string;

beforeAll(async () => {
  backupDir = await mkdtemp(path.join(tmpdir(), 'backup-test-'));
  [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('backup'),
    startDiscordEmulator(),
  ]);
  workers = await startTaskWorkers({
    env: temporal,
    db: database.db,
    emulator,
    variables: { BACKUP_DIR: backupDir },
  });
});

afterAll(async () => {
  await workers?.shutdown();
  await Promise.allSettled([temporal?.teardown(), database?.drop(), emulator?.close()]);
  await rm(backupDir, { recursive: true, force: true });
});

const starter = (...argv: string[]) => cli(argv, workers.variables);

async function runBackup(guildId: string) {
  const run = await starter('run', 'backup', '--guild', guildId, '--wait', '--json');
  expect(run.err).toEqual([]);
  expect(run.code).toBe(0);
  return JSON.parse(run.out[0]!) as {
    name: string;
    path: string;
    createdAt: string;
    counts: { commands: number; archive: number };
    bytes: number;
    sha256: string;
    removed: number;
  };
}

async function restore(guildId: string, ...options: string[]) {
  const run = await starter('backup', 'restore', '--guild', guildId, '--json', ...options);
  return { ...run, result: run.code === 0 ? (JSON.parse(run.out[0]!) as RestoreJson) : undefined };
}

interface RestoreJson {
  backup: string;
  dryRun: boolean;
  commands: { restored: number; overwritten: number; keptNewer: number; alreadyPresent: number };
  archive: { restored: number; alreadyPresent: number };
}

const commands = () => database.db.collection(COLLECTIONS.commands);
const archive = () => database.db.collection(COLLECTIONS.archive);

async function deleteGuild(guildId: string) {
  await commands().deleteMany({ guildId });
  await archive().deleteMany({ guildId });
}

/** A guild with its commands and archive seeded and backed up by the workflow. */
async function backedUpGuild() {
  const guildId = newGuildId();
  await insertSeed(database.db, seedCommands(guildId, creators), seedArchive(guildId, creators));
  const backup = await runBackup(guildId);
  return { guildId, backup, before: await guildDocuments(database.db, guildId) };
}

describe('backup and restore', () => {
  it('writes the day’s checksummed file through the workflow, and a restore after deletion brings every command back exactly', async () => {
    const other = newGuildId();
    await insertSeed(database.db, seedCommands(other, creators), []);
    const { guildId, backup, before } = await backedUpGuild();

    // The run's own day (workflow time), not the test's: no flake across midnight UTC.
    const day = backup.createdAt.slice(0, 10);
    expect(backup).toMatchObject({
      name: `${guildId}-${day}`,
      counts: { commands: 3, archive: 2 },
      removed: 0,
    });
    expect(backup.path).toBe(path.join(backupDir, guildId, `${guildId}-${day}.jsonl.gz`));
    expect(await readFile(`${backup.path}.sha256`, 'utf8')).toBe(
      `${backup.sha256}  ${guildId}-${day}.jsonl.gz\n`,
    );
    expect((await fileChecksum(backup.path)).sha256).toBe(backup.sha256);

    // A second run the same day replaces the file whole: one file, the new content.
    await commands().deleteOne({ guildId, name: 'rules' });
    expect((await runBackup(guildId)).counts.commands).toBe(2);
    expect((await readdir(path.join(backupDir, guildId))).sort()).toEqual([
      `${guildId}-${day}.jsonl.gz`,
      `${guildId}-${day}.jsonl.gz.sha256`,
    ]);
    await commands().insertOne(before.commands.find((c) => c.name === 'rules')!);
    await runBackup(guildId);

    await deleteGuild(guildId);
    const run = await restore(guildId);
    expect(run.err).toEqual([]);
    expect(run.result).toMatchObject({
      backup: `${guildId}-${day}`,
      dryRun: false,
      commands: { restored: 3, overwritten: 0, keptNewer: 0, alreadyPresent: 0 },
      archive: { restored: 2, alreadyPresent: 0 },
    });
    // Same ids, dates, numbers and the cleanup's warning field: exactly what was there.
    expect(await guildDocuments(database.db, guildId)).toEqual(before);
    // The other guild was neither backed up into this file nor touched.
    expect(await commands().countDocuments({ guildId: other })).toBe(3);

    const again = await restore(guildId);
    expect(again.result?.commands).toEqual({ restored: 0, overwritten: 0, keptNewer: 0, alreadyPresent: 3 });
    expect(again.result?.archive).toEqual({ restored: 0, alreadyPresent: 2 });
  });

  it('keeps a command newer in the database than in the backup unless --overwrite', async () => {
    const { guildId, before } = await backedUpGuild();
    const later = new Date(Date.now() + 60_000);
    await commands().updateOne(
      { guildId, name: 'hello' },
      { $set: { content: 'edited since', updatedAt: later } },
    );
    await commands().deleteOne({ guildId, name: 'rules' });

    const kept = await restore(guildId);
    expect(kept.result?.commands).toEqual({ restored: 1, overwritten: 0, keptNewer: 1, alreadyPresent: 1 });
    expect(await commands().findOne({ guildId, name: 'hello' })).toMatchObject({ content: 'edited since' });
    expect(await commands().countDocuments({ guildId })).toBe(3);

    const overwritten = await restore(guildId, '--overwrite');
    expect(overwritten.result?.commands).toEqual({
      restored: 0,
      overwritten: 1,
      keptNewer: 0,
      alreadyPresent: 2,
    });
    expect(await guildDocuments(database.db, guildId)).toEqual(before);
  });

  it('--dry-run counts what it would restore and changes nothing', async () => {
    const { guildId } = await backedUpGuild();
    await deleteGuild(guildId);
    const dry = await restore(guildId, '--dry-run');
    expect(dry.result).toMatchObject({ dryRun: true, commands: { restored: 3 }, archive: { restored: 2 } });
    expect(await commands().countDocuments({ guildId })).toBe(0);
    expect(await archive().countDocuments({ guildId })).toBe(0);
  });

  it('refuses a corrupted or foreign file with one clear line and exit code 1, changing nothing', async () => {
    const { guildId, backup } = await backedUpGuild();
    await deleteGuild(guildId);
    const pristine = await readFile(backup.path);

    const flipped = Buffer.from(pristine);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    await writeFile(backup.path, flipped);
    const tampered = await restore(guildId);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toEqual([]);
    expect(tampered.err).toEqual([
      `Backup ${backup.name} refused, nothing changed: checksum mismatch: the file was changed or damaged (${backup.path})`,
    ]);

    // Not gzip at all, with a checksum that matches: the gzip check refuses it.
    await writeFile(backup.path, 'not a backup');
    await writeFile(`${backup.path}.sha256`, `${(await fileChecksum(backup.path)).sha256}  x\n`);
    const notGzip = await restore(guildId);
    expect(notGzip.code).toBe(1);
    expect(notGzip.err[0]).toMatch(/refused, nothing changed: not a valid gzip file/);

    // Another guild's (valid) backup given by path: refused for what it is.
    await writeFile(backup.path, pristine);
    await writeFile(`${backup.path}.sha256`, `${backup.sha256}  x\n`);
    const foreign = await cli(
      ['backup', 'restore', '--guild', newGuildId(), '--from', backup.path],
      workers.variables,
    );
    expect(foreign.code).toBe(1);
    expect(foreign.err[0]).toContain(`a backup of guild ${guildId}, not`);

    expect(await commands().countDocuments({ guildId })).toBe(0);
    expect(await archive().countDocuments({ guildId })).toBe(0);
    expect((await restore(guildId)).result?.commands.restored).toBe(3);
  });

  it('list --json shows each backup newest first, verified, a damaged one with its problem', async () => {
    const { guildId, backup } = await backedUpGuild();
    const older = backupFile(backupDir, guildId, '2001-02-03');
    await copyFile(backup.path, older.path);
    await copyFile(`${backup.path}.sha256`, older.checksumPath);
    const broken = backupFile(backupDir, guildId, '2000-01-01');
    await writeFile(broken.path, 'garbage');
    await copyFile(`${backup.path}.sha256`, broken.checksumPath);

    const run = await starter('backup', 'list', '--guild', guildId, '--json');
    expect(run.code).toBe(0);
    const listing = JSON.parse(run.out[0]!) as { guildId: string; dir: string; backups: object[] };
    expect(listing).toEqual({
      guildId,
      dir: backupDir,
      backups: [
        {
          name: backup.name,
          day: backup.name.slice(guildId.length + 1),
          path: backup.path,
          ok: true,
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
          bytes: backup.bytes,
          sha256: backup.sha256,
          commands: 3,
          archive: 2,
        },
        expect.objectContaining({ name: `${guildId}-2001-02-03`, ok: true, commands: 3 }),
        {
          name: `${guildId}-2000-01-01`,
          day: '2000-01-01',
          path: broken.path,
          ok: false,
          problem: 'checksum mismatch: the file was changed or damaged',
        },
      ],
    });
    // Retention in the workflow: both old files are past 30 days and go at the next run.
    expect((await runBackup(guildId)).removed).toBe(2);
  });
});
