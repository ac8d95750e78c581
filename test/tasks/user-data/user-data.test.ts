/**
 * `starter user-data export|erase` end to end on the real servers: the workers as
 * production wires them (dev server, FerretDB, the Discord emulator), a real cleanup
 * run that warns two users (DMs, notification log, DM channels, running grace
 * workflows), and the rest of the data contract seeded beside it. Every check of
 * "about the user" is a scan of every collection for the user's id, independent of
 * the table the product reads.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ObjectId, type Db } from 'mongodb';
import { CLEANUP_TASK } from '../../../src/cleanup/policy';
import { COLLECTIONS, createIncidentLog, newCommandDoc, type CustomCommandDoc } from '../../../src/db';
import {
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { backupFile } from '../../../src/backup/files';
import { BACKUP_TASK } from '../../../src/tasks/backup';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';
import { cli, newGuildId } from '../../starter/cli';
import { DAY_MS } from '../../../src/duration';

const { alice: user, bob: other } = DEMO_MEMBERS;
const otherGuild = newGuildId();

let temporal: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
let dir: string;
const graceIds: Record<string, string> = {};
const withdrawalIds: Record<string, string> = {};

beforeAll(async () => {
  [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('user_data'),
    startDiscordEmulator(),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'user-data-'));
  workers = await startTaskWorkers({
    env: temporal,
    db: database.db,
    emulator,
    variables: { BACKUP_DIR: join(dir, 'backups') },
  });
  await seed(database.db);
});

afterAll(async () => {
  for (const id of Object.values(graceIds)) {
    await temporal?.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  }
  await workers?.shutdown();
  await Promise.allSettled([
    temporal?.teardown(),
    database?.drop(),
    emulator?.close(),
    rm(dir, { recursive: true }),
  ]);
});

const run = (...argv: string[]) => cli(argv, workers.variables);

/** Each user: two idle commands warned by a real cleanup run, plus every other kind of record. */
async function seed(db: Db) {
  const idle = new Date(Date.now() - 70 * DAY_MS);
  for (const creatorId of [user, other]) {
    for (const name of ['one', 'two']) {
      const content = `secret content ${name} of ${creatorId}`;
      await db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertOne(
        newCommandDoc({
          guildId: DEMO_GUILD_ID,
          name: `${name}-${creatorId}`,
          content,
          creatorId,
          at: idle,
          useCount: 1,
        }),
      );
    }
    const archived = new ObjectId().toHexString();
    await db.collection(COLLECTIONS.archive).insertOne({
      _id: `${DEMO_GUILD_ID}:${archived}:${idle.getTime()}` as never,
      commandId: archived,
      guildId: DEMO_GUILD_ID,
      name: `gone-${creatorId}`,
      content: 'archived content',
      creatorId,
      createdAt: idle,
      updatedAt: idle,
      lastUsedAt: idle,
      useCount: 0,
      warnedAt: idle,
      deletedAt: new Date(),
      runKey: 'earlier-run',
    });
    // A withdrawal names no user: it is theirs through the archived command's key.
    withdrawalIds[creatorId] = `${DEMO_GUILD_ID}:${archived}:${idle.getTime() + 1}`;
    await db.collection(COLLECTIONS.withdrawals).insertOne({
      _id: withdrawalIds[creatorId] as never,
      guildId: DEMO_GUILD_ID,
      withdrawnAt: new Date(),
    });
    await createIncidentLog(db).record({
      guildId: DEMO_GUILD_ID,
      kind: 'deletion-dm-failed',
      creatorId,
      runKey: 'earlier-run',
      commands: 1,
      reason: 'dms closed',
      at: new Date(),
    });
    await db.collection(COLLECTIONS.usage).insertOne({
      _id: `${DEMO_GUILD_ID}:${archived}:2024-01-01` as never,
      guildId: DEMO_GUILD_ID,
      commandId: archived,
      name: `gone-${creatorId}`,
      creatorId,
      day: '2024-01-01',
      uses: 3,
    });
  }
  // The user's command in another guild: outside a --guild export.
  await db.collection(COLLECTIONS.commands).insertOne({
    guildId: otherGuild,
    name: 'elsewhere',
    content: 'x',
    creatorId: user,
    createdAt: new Date(),
    updatedAt: new Date(),
    lastUsedAt: new Date(),
    useCount: 0,
  });

  const cleanup = await run('run', CLEANUP_TASK, '--guild', DEMO_GUILD_ID, '--wait', '--json');
  expect(cleanup.err).toEqual([]);
  expect(JSON.parse(cleanup.out[0]!)).toMatchObject({ warnedCreators: 2, warnedCommands: 4 });
  const backup = await run('run', BACKUP_TASK, '--guild', DEMO_GUILD_ID, '--wait', '--json');
  expect(backup.err).toEqual([]);
  expect(await backupText()).toContain(user);
  for (const creatorId of [user, other]) {
    const warned = await db
      .collection<CustomCommandDoc>(COLLECTIONS.commands)
      .findOne({ creatorId, 'cleanup.graceWorkflowId': { $exists: true } });
    graceIds[creatorId] = warned!.cleanup!.graceWorkflowId;
  }
}

/** `_id`s of the documents of every collection of the database whose JSON holds `text`, by collection. */
async function documentsMentioning(text: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const { name } of await database.db.listCollections().toArray()) {
    const documents = await database.db.collection(name).find().toArray();
    const ids = documents.filter((doc) => JSON.stringify(doc).includes(text)).map((doc) => String(doc._id));
    if (ids.length) found[name] = ids.sort();
  }
  return found;
}

/** Every backup file's records, uncompressed, as one text. */
async function backupText(): Promise<string> {
  const root = join(dir, 'backups');
  const files = (await readdir(root, { recursive: true })).filter((name) => name.endsWith('.gz'));
  const texts = await Promise.all(
    files.map(async (name) => gunzipSync(await readFile(join(root, name))).toString()),
  );
  return texts.join('\n');
}

async function snapshot() {
  const all: Record<string, unknown[]> = {};
  for (const { name } of await database.db.listCollections().toArray()) {
    all[name] = await database.db.collection(name).find().sort({ _id: 1 }).toArray();
  }
  return all;
}

const graceStatus = async (creatorId: string) =>
  (await temporal.client.workflow.getHandle(graceIds[creatorId]!).describe()).status.name;

const dmsTo = (recipientId: string) =>
  emulator.control.messages().filter((m) => m.recipient_id === recipientId).length;

describe('starter user-data', () => {
  it('export writes every record about the user and none of another, and refuses to overwrite', async () => {
    const path = join(dir, 'export.json');
    const mentioning = await documentsMentioning(user);
    expect(Object.keys(mentioning).sort()).toEqual(
      [
        COLLECTIONS.commands,
        COLLECTIONS.archive,
        COLLECTIONS.notifications,
        COLLECTIONS.incidents,
        COLLECTIONS.usage,
        COLLECTIONS.dmChannels,
      ].sort(),
    );

    const exported = await run('user-data', 'export', '--user', user, '--out', path, '--json');

    expect(exported.err).toEqual([]);
    expect(exported.code).toBe(0);
    const result = JSON.parse(exported.out[0]!) as {
      workflowId: string;
      path: string;
      records: Record<string, number>;
    };
    expect(result.path).toBe(path);
    expect(result.workflowId.startsWith(`user-data-export:${user}:all:`)).toBe(true);
    const text = await readFile(path, 'utf8');
    const file = JSON.parse(text) as {
      export: { userId: string };
      collections: Record<string, { _id: string }[]>;
    };
    expect(file.export.userId).toBe(user);
    const inFile = Object.fromEntries(
      Object.entries(file.collections)
        .filter(([, docs]) => docs.length)
        .map(([name, docs]) => [name, docs.map((doc) => String(doc._id)).sort()]),
    );
    expect(inFile).toEqual({ ...mentioning, [COLLECTIONS.withdrawals]: [withdrawalIds[user]] });
    expect(result.records[COLLECTIONS.commands]).toBe(3);
    expect(text).toContain(`secret content one of ${user}`);
    expect(text).not.toContain(other);
    // Only counts in the workflow's history: no command content.
    const history = JSON.stringify(
      await temporal.client.workflow.getHandle(result.workflowId).fetchHistory(),
    );
    expect(history).not.toContain('secret content');

    const again = await run('user-data', 'export', '--user', user, '--out', path);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toContain('exists');

    const scoped = join(dir, 'scoped.json');
    const inGuild = await run(
      'user-data',
      'export',
      '--user',
      user,
      '--guild',
      otherGuild,
      '--out',
      scoped,
      '--json',
    );
    expect((JSON.parse(inGuild.out[0]!) as { records: object }).records).toMatchObject({
      [COLLECTIONS.commands]: 1,
      [COLLECTIONS.notifications]: 0,
      [COLLECTIONS.dmChannels]: 0,
    });
  });

  it('erase without --yes says what it would erase and changes nothing', async () => {
    const before = await snapshot();
    const backupsBefore = await backupText();

    const dry = await run('user-data', 'erase', '--user', user);

    expect(dry.err).toEqual([]);
    expect(dry.code).toBe(0);
    expect(dry.out[0]).toMatch(new RegExp(`would erase the data of user ${user} in every guild$`));
    expect(dry.out).toContain('  grace periods to cancel: 1');
    expect(dry.out).toContain('  nothing changed: run again with --yes to erase (backups are cleaned then)');
    expect(await snapshot()).toEqual(before);
    expect(await backupText()).toBe(backupsBefore);
    expect(await graceStatus(user)).toBe('RUNNING');
  });

  it('erase --yes cancels the pending deletion and leaves nothing about the user in any collection', async () => {
    const otherRecords = await documentsMentioning(other);
    const dmsBefore = dmsTo(user);

    const erased = await run('user-data', 'erase', '--user', user, '--yes', '--json');

    expect(erased.err).toEqual([]);
    expect(erased.code).toBe(0);
    const result = JSON.parse(erased.out[0]!) as { backups: unknown };
    expect(result).toMatchObject({
      userId: user,
      guildId: null,
      dryRun: false,
      cancelledGraceWorkflows: 1,
      erased: {
        [COLLECTIONS.commands]: 3,
        [COLLECTIONS.archive]: 1,
        [COLLECTIONS.notifications]: 1,
        [COLLECTIONS.incidents]: 1,
        [COLLECTIONS.usage]: 1,
        [COLLECTIONS.dmChannels]: 1,
        [COLLECTIONS.withdrawals]: 1,
      },
    });
    expect(await documentsMentioning(user)).toEqual({});
    // The backup no longer holds them either (a restore cannot bring them back); the other's stay.
    expect(result.backups).toEqual({ files: 1, records: 3 });
    const backups = await backupText();
    expect(backups).not.toContain(user);
    expect(backups).toContain(`secret content one of ${other}`);
    expect(
      await database.db
        .collection(COLLECTIONS.withdrawals)
        .countDocuments({ _id: withdrawalIds[user] as never }),
    ).toBe(0);
    // The other user's records and pending deletion are untouched.
    expect(await documentsMentioning(other)).toEqual(otherRecords);
    expect(await graceStatus(other)).toBe('RUNNING');
    // The erase waited for the grace period to close: it can delete or DM nothing any more.
    expect(await graceStatus(user)).toBe('CANCELLED');
    expect(dmsTo(user)).toBe(dmsBefore);

    const again = await run('user-data', 'erase', '--user', user, '--yes', '--json');
    const second = JSON.parse(again.out[0]!) as {
      erased: Record<string, number>;
      cancelledGraceWorkflows: number;
      backups: unknown;
    };
    expect(second.cancelledGraceWorkflows).toBe(0);
    expect(second.backups).toEqual({ files: 0, records: 0 });
    expect(Object.values(second.erased).every((count) => count === 0)).toBe(true);
    expect(Object.keys(second.erased)).toContain(COLLECTIONS.usage);
  });

  it('erase --yes past a damaged backup: the rest is erased, the damaged file is named, exit code 1', async () => {
    const damaged = backupFile(join(dir, 'backups'), DEMO_GUILD_ID, '2024-01-01');
    await writeFile(damaged.path, 'not a backup');

    const erased = await run('user-data', 'erase', '--user', other, '--yes');

    expect(erased.code).toBe(1);
    expect(erased.err).toEqual([
      `backup ${DEMO_GUILD_ID}/${damaged.name}.jsonl.gz could not be verified and was left as it is: delete it, it may hold the user's data`,
    ]);
    expect(erased.out).toContain('  backups: 3 record(s) removed from 1 file(s)');
    expect(await documentsMentioning(other)).toEqual({});
    expect(await readFile(damaged.path, 'utf8')).toBe('not a backup');
    await rm(damaged.path);
    expect(await backupText()).not.toContain(other);
  });
});
