/**
 * The maintenance's retention purge on the real servers: one guild's archive entries,
 * withdrawal marks, notification log, incidents and usage days past retention, and its backup
 * files, removed in batches (more than one per collection), a bounded number of them
 * per run; fresh entries, deletions in progress and other guilds' entries stay. Small
 * batches (50, at most 3 a run) so that a few hundred documents show the cap.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFile, utcDay } from '../../../src/backup/files';
import { COLLECTIONS } from '../../../src/db/contract';
import { DEMO_GUILD_ID, DEMO_MEMBERS } from '../../../src/emulator';
import type { MaintenanceResult } from '../../../src/maintenance/model';
import { databaseMaintenanceTask } from '../../../src/tasks/database-maintenance';
import type { MaintenanceInput } from '../../../src/workflows/database-maintenance';
import { newGuildId } from '../../starter/cli';
import { startMaintenanceServers, type MaintenanceServers } from './harness';
import { DAY_MS } from '../../../src/duration';

const OTHER_GUILD = newGuildId();
const ago = (days: number) => new Date(Date.now() - days * DAY_MS);

let servers: MaintenanceServers | undefined;
let runs = 0;

/** Documents of one guild in a purged collection: `count` of them, aged `days`. */
function seed(
  collection: keyof typeof COLLECTIONS,
  guildId: string,
  count: number,
  days: number,
): Document[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${guildId}:${collection}:${days}:${i}`;
    const at = ago(days);
    switch (collection) {
      case 'archive':
        return {
          _id: id,
          guildId,
          commandId: new ObjectId().toHexString(),
          name: `c${i}`,
          warnedAt: at,
          deletedAt: at,
        };
      case 'withdrawals':
        return { _id: id, guildId, withdrawnAt: at };
      case 'notifications':
        return { _id: id, status: 'sent', createdAt: at };
      case 'usage':
        return {
          _id: id,
          guildId,
          commandId: new ObjectId().toHexString(),
          name: `c${i}`,
          creatorId: DEMO_MEMBERS.alice,
          day: utcDay(at),
          uses: 1,
        };
      default:
        return { _id: id, guildId, kind: 'deletion-failed', creatorId: DEMO_MEMBERS.alice, at };
    }
  });
}

async function count(collection: keyof typeof COLLECTIONS, guildId: string): Promise<number> {
  const scope: Document = collection === 'notifications' ? { _id: { $regex: `^${guildId}:` } } : { guildId };
  return servers!.database.db.collection<{ _id: string }>(COLLECTIONS[collection]).countDocuments(scope);
}

async function maintain(options: { dryRun?: boolean } = {}): Promise<MaintenanceResult> {
  const { workers, env } = servers!;
  const [input] = databaseMaintenanceTask.workflowArgs(workers.config, DEMO_GUILD_ID, {
    dryRun: options.dryRun ?? false,
  }) as [MaintenanceInput];
  return env.client.workflow.execute<(input: MaintenanceInput) => Promise<MaintenanceResult>>(
    'databaseMaintenance',
    {
      taskQueue: workers.taskQueue,
      workflowId: `database-maintenance-purge-test-${Date.now()}-${++runs}`,
      args: [{ ...input, purge: { batchSize: 50, maxBatches: 3 } } satisfies MaintenanceInput],
    },
  );
}

const removed = (result: MaintenanceResult) =>
  Object.fromEntries(result.purges.map((p) => [p.target, { removed: p.removed, capped: p.capped }]));

beforeAll(async () => {
  servers = await startMaintenanceServers('maintenance_purge');
  const { db } = servers.database;
  // Retention: archive 365 days (CLEANUP_ARCHIVE_RETENTION), logs 90 days (LOG_RETENTION), backups 30 days.
  const plan: [keyof typeof COLLECTIONS, number, number, number][] = [
    // collection, expired of the guild (age 400 / 100 days), fresh of the guild, expired of another guild
    ['archive', 120, 10, 20],
    ['withdrawals', 60, 2, 3],
    ['notifications', 170, 5, 5],
    ['incidents', 60, 3, 4],
    // Uses per day, 100 days old: past LOG_RETENTION (90 days), which is more than five weeks.
    ['usage', 30, 4, 2],
  ];
  for (const [collection, expired, fresh, other] of plan) {
    const old = collection === 'archive' || collection === 'withdrawals' ? 400 : 100;
    await db
      .collection(COLLECTIONS[collection])
      .insertMany([
        ...seed(collection, DEMO_GUILD_ID, expired, old),
        ...seed(collection, DEMO_GUILD_ID, fresh, 10),
        ...seed(collection, OTHER_GUILD, other, old),
      ]);
  }
  // A deletion in progress (no deletedAt yet) is never purged, however old its warning.
  await db
    .collection<{ _id: string; guildId: string; warnedAt: Date }>(COLLECTIONS.archive)
    .insertOne({ _id: `${DEMO_GUILD_ID}:in-progress`, guildId: DEMO_GUILD_ID, warnedAt: ago(900) });
  for (const [guildId, days] of [
    [DEMO_GUILD_ID, 0],
    [DEMO_GUILD_ID, 40],
    [OTHER_GUILD, 40],
  ] as const) {
    const file = backupFile(servers.backupDir, guildId, utcDay(ago(days)));
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(file.path, '');
    await writeFile(file.checksumPath, '');
  }
});

afterAll(async () => {
  await servers?.close();
});

describe('database maintenance, retention purge', () => {
  it('a dry run counts what is past retention and changes nothing', async () => {
    const result = await maintain({ dryRun: true });
    expect(removed(result)).toMatchObject({
      archive: { removed: 120, capped: false },
      notifications: { removed: 150, capped: true },
    });
    expect(result.adminReport).toEqual({ status: 'not-needed' });
    expect(await count('archive', DEMO_GUILD_ID)).toBe(131);
    expect(await servers!.adminEmbeds()).toHaveLength(0);
  });

  it('removes only the guild’s expired entries, in batches, at most the cap per run', async () => {
    const result = await maintain();
    expect(removed(result)).toEqual({
      archive: { removed: 120, capped: false },
      withdrawals: { removed: 60, capped: false },
      notifications: { removed: 150, capped: true },
      incidents: { removed: 60, capped: false },
      usage: { removed: 30, capped: false },
      backups: { removed: 1, capped: false },
    });
    expect(await count('archive', DEMO_GUILD_ID)).toBe(11);
    expect(await count('withdrawals', DEMO_GUILD_ID)).toBe(2);
    expect(await count('notifications', DEMO_GUILD_ID)).toBe(25);
    expect(await count('incidents', DEMO_GUILD_ID)).toBe(3);
    expect(await count('usage', DEMO_GUILD_ID)).toBe(4);
    for (const [collection, other] of [
      ['archive', 20],
      ['withdrawals', 3],
      ['notifications', 5],
      ['incidents', 4],
      ['usage', 2],
    ] as const) {
      expect(await count(collection, OTHER_GUILD)).toBe(other);
    }
    expect(await readdir(path.join(servers!.backupDir, DEMO_GUILD_ID))).toEqual([
      `${DEMO_GUILD_ID}-${utcDay(new Date())}.jsonl.gz`,
      `${DEMO_GUILD_ID}-${utcDay(new Date())}.jsonl.gz.sha256`,
    ]);
    expect(await readdir(path.join(servers!.backupDir, OTHER_GUILD))).toHaveLength(2);
  });

  it('tells the admins that a purge stopped at its cap', async () => {
    const posted = await servers!.adminEmbeds();
    expect(posted).toHaveLength(1);
    expect(posted[0]![0]!.fields?.find((f) => f.name === 'Looks wrong')?.value).toBe(
      'notifications: purge stopped at its cap after 150; the next run continues',
    );
  });

  it('the next run continues where the cap stopped, then has nothing to tell', async () => {
    const result = await maintain();
    expect(removed(result).notifications).toEqual({ removed: 20, capped: false });
    expect(await count('notifications', DEMO_GUILD_ID)).toBe(5);
    expect(result.adminReport).toEqual({ status: 'not-needed' });
    expect(await servers!.adminEmbeds()).toHaveLength(1);
  });

  it('reports commands that break the data contract and warnings past their deadline', async () => {
    const commands = servers!.database.db.collection(COLLECTIONS.commands);
    const base = { guildId: DEMO_GUILD_ID, content: 'x', creatorId: DEMO_MEMBERS.bob, useCount: 0 };
    const dates = { createdAt: ago(200), updatedAt: ago(200), lastUsedAt: ago(200) };
    await commands.insertMany([
      { ...base, name: 'broken', createdAt: 'yesterday' },
      {
        ...base,
        ...dates,
        name: 'stuck',
        cleanup: { warnedAt: ago(40), deleteAfter: ago(10), runKey: 'r', graceWorkflowId: 'gone' },
      },
    ]);
    const result = await maintain();
    expect(result.inspection).toMatchObject({ invalidCommands: 1, overdueWarnings: 1 });
    const posted = await servers!.adminEmbeds();
    expect(posted).toHaveLength(2);
    expect(posted[1]![0]!.fields?.find((f) => f.name === 'Looks wrong')?.value).toBe(
      '1 command(s) break the data contract (skipped by the cleanup)\n' +
        '1 warned command(s) past their deadline with no grace period',
    );
  });
});
