/**
 * The cleanup store on the real database: the run lease (held, refused, taken over from
 * a holder that no longer runs), the warning's claim and confirmation (a use between
 * them leaves the command out), and the chunked deletion (a creator's removal never
 * archived, a crash before the archive entry was marked settled as a deletion).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createWarningLifecycleActivities } from '../../src/activities';
import {
  COLLECTIONS,
  createCleanupStore,
  createCommandStore,
  createIncidentLog,
  createRunLock,
  type CleanupStore,
  type CommandStore,
  newCommandDoc,
  type CustomCommandDoc,
} from '../../src/db';
import type { ClaimedPage } from '../../src/db/cleanup-store';
import { DEFAULT_POLICY } from '../../src/cleanup/policy';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { DAY_MS } from '../../src/duration';

const GUILD = '1196423538278531072';
const CREATOR = '1196423567638659079';
const NOW = Date.UTC(2026, 11, 2);
const CUTOFF = new Date(NOW - 60 * DAY_MS);

let database: TestDatabase;
let store: CommandStore;
let cleanup: CleanupStore;
beforeAll(async () => {
  database = await createTestDatabase('db_lifecycle');
  store = createCommandStore(database.db);
  cleanup = createCleanupStore(database.db);
  await store.ensureIndexes();
  await cleanup.ensureIndexes();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  await Promise.all(Object.values(COLLECTIONS).map((name) => database.db.collection(name).deleteMany({})));
});

const commands = () => database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);

async function seed(names: string[], idleDays = 70): Promise<void> {
  const at = new Date(NOW - idleDays * DAY_MS);
  await commands().insertMany(
    names.map((name) =>
      newCommandDoc({
        guildId: GUILD,
        name,
        content: `content of ${name}`,
        creatorId: CREATOR,
        at,
        useCount: 1,
      }),
    ),
  );
}

async function warn(runKey: string, warnedAt: number): Promise<number> {
  await cleanup.claimWarnPage({
    guildId: GUILD,
    cutoff: CUTOFF,
    runKey,
    afterCreatorId: null,
    maxCommands: 100,
  });
  return cleanup.confirmWarnings({
    guildId: GUILD,
    creatorId: CREATOR,
    runKey,
    selectedBefore: CUTOFF,
    warning: {
      warnedAt: new Date(warnedAt),
      deleteAfter: new Date(warnedAt + 30 * DAY_MS),
      graceWorkflowId: 'g',
    },
  });
}

describe('the run lease', () => {
  it('is refused while its holder runs, taken over once it does not, and given back', async () => {
    const locks = createRunLock(database.db);
    const running = new Set(['run-a']);
    const isRunning = (runKey: string) => Promise.resolve(running.has(runKey));
    expect(await locks.acquire(GUILD, 'run-a', new Date(NOW), isRunning)).toEqual({ acquired: true });
    // The same run again (a retry, or its continuation as new) keeps it.
    expect(await locks.acquire(GUILD, 'run-a', new Date(NOW), isRunning)).toEqual({ acquired: true });
    expect(await locks.acquire(GUILD, 'run-b', new Date(NOW), isRunning)).toEqual({
      acquired: false,
      heldBy: 'run-a',
    });
    running.delete('run-a'); // terminated without releasing
    expect(await locks.acquire(GUILD, 'run-b', new Date(NOW), isRunning)).toEqual({ acquired: true });
    running.add('run-b');
    await locks.release(GUILD, 'run-a'); // a late release of the old holder changes nothing
    expect(await locks.acquire(GUILD, 'run-c', new Date(NOW), isRunning)).toMatchObject({ acquired: false });
    await locks.release(GUILD, 'run-b');
    expect(await locks.acquire(GUILD, 'run-c', new Date(NOW), isRunning)).toEqual({ acquired: true });
  });
});

describe('claim and confirm', () => {
  it('a claim marks whole creators, a retry returns the same page, and a use before the confirmation unwarns', async () => {
    await seed(['one', 'two', 'three']);
    const page = await cleanup.claimWarnPage({
      guildId: GUILD,
      cutoff: CUTOFF,
      runKey: 'run-1',
      afterCreatorId: null,
      maxCommands: 100,
    });
    expect(page.creators).toEqual([{ creatorId: CREATOR, commands: 3 }]);
    const again = await cleanup.claimWarnPage({
      guildId: GUILD,
      cutoff: CUTOFF,
      runKey: 'run-1',
      afterCreatorId: null,
      maxCommands: 100,
    });
    expect(again.creators).toEqual(page.creators);
    // Another run sees nothing to claim while run-1 holds these marks.
    const other = await cleanup.claimWarnPage({
      guildId: GUILD,
      cutoff: CUTOFF,
      runKey: 'run-2',
      afterCreatorId: null,
      maxCommands: 100,
    });
    expect(other.creators).toEqual([]);
    await store.recordUse(GUILD, 'two', new Date(NOW));
    const names: string[] = [];
    for await (const c of cleanup.markedCommands(GUILD, CREATOR, 'run-1')) names.push(c.name);
    expect(names).toEqual(['one', 'three']);
    const warned = await cleanup.confirmWarnings({
      guildId: GUILD,
      creatorId: CREATOR,
      runKey: 'run-1',
      selectedBefore: CUTOFF,
      warning: { warnedAt: new Date(NOW), deleteAfter: new Date(NOW + 30 * DAY_MS), graceWorkflowId: 'g' },
    });
    expect(warned).toBe(2);
    expect(await commands().findOne({ name: 'two' })).not.toHaveProperty('cleanup');
    expect(await commands().countDocuments({ cleanupPending: { $exists: true } })).toBe(0);
  });
});

describe('confirming what the DM listed', () => {
  const confirm = (listed?: number) =>
    cleanup.confirmWarnings({
      guildId: GUILD,
      creatorId: CREATOR,
      runKey: 'run-1',
      selectedBefore: CUTOFF,
      warning: { warnedAt: new Date(NOW), deleteAfter: new Date(NOW + 30 * DAY_MS), graceWorkflowId: 'g' },
      ...(listed === undefined ? {} : { listed }),
    });
  const claim = () =>
    cleanup.claimWarnPage({
      guildId: GUILD,
      cutoff: CUTOFF,
      runKey: 'run-1',
      afterCreatorId: null,
      maxCommands: 100,
    });

  it('counts the warned commands on the first attempt and on a retry', async () => {
    await seed(['one', 'two', 'three']);
    await claim();
    expect(await confirm(3)).toBe(3);
    // The retry modifies nothing: it counts what the first attempt warned.
    expect(await confirm(3)).toBe(3);
    expect(await commands().countDocuments({ 'cleanup.runKey': 'run-1' })).toBe(3);
    expect(await commands().countDocuments({ cleanupPending: { $exists: true } })).toBe(0);
  });

  it('drops the mark of a listed command edited since (outside the bot-side API), which is not warned', async () => {
    await seed(['one', 'two', 'three']);
    await claim();
    // Edited after the DM went out: still marked, no longer idle.
    await commands().updateOne({ name: 'two' }, { $set: { updatedAt: new Date(NOW) } });
    expect(await confirm(3)).toBe(2);
    expect(await commands().findOne({ name: 'two' })).not.toHaveProperty('cleanup');
    expect(await commands().countDocuments({ cleanupPending: { $exists: true } })).toBe(0);
  });

  it("the grace workflow lists the DM's names when all were warned, and reads them back otherwise (fake Temporal client)", async () => {
    await seed(['alpha', 'beta', 'gamma']);
    await claim();
    const started: { listed: string[]; commandCount: number }[] = [];
    const temporal = {
      workflow: {
        start: (_type: string, options: { args: [{ listed: string[]; commandCount: number }] }) => {
          started.push(options.args[0]);
          return Promise.resolve({});
        },
      },
    } as unknown as Client;
    const activities = createWarningLifecycleActivities({
      cleanup,
      locks: createRunLock(database.db),
      incidents: createIncidentLog(database.db),
      temporal,
      taskQueue: 'main',
    });
    const start = (dm: { commands: number; names: string[] }) =>
      new MockActivityEnvironment().run(() =>
        activities.startGracePeriod({
          guildId: GUILD,
          guildName: 'Guild',
          creatorId: CREATOR,
          runKey: 'run-1',
          warnedAt: NOW,
          deleteAt: NOW + 30 * DAY_MS,
          selectedBefore: CUTOFF.getTime(),
          policy: DEFAULT_POLICY,
          discordTaskQueue: 'discord',
          dm,
        }),
      );
    // 'beta' is used after the DM listed it: the Web UI must not show it as waiting.
    await store.recordUse(GUILD, 'beta', new Date(NOW));
    expect(await start({ commands: 3, names: ['alpha', 'beta', 'gamma'] })).toEqual({ commands: 2 });
    expect(started.at(-1)).toMatchObject({ listed: ['alpha', 'gamma'], commandCount: 2 });
    // The retry of a start whose DM listed exactly the warned ones keeps the DM's names.
    expect(await start({ commands: 2, names: ['alpha', 'gamma'] })).toEqual({ commands: 2 });
    expect(started.at(-1)).toMatchObject({ listed: ['alpha', 'gamma'], commandCount: 2 });
    expect(started.at(-1)).not.toHaveProperty('dm');
  });
});

describe('malformed documents', () => {
  it('an array of creator ids is never a creator of a page nor its cursor, and is counted once', async () => {
    await seed(['fine']);
    const at = new Date(NOW - 70 * DAY_MS);
    await database.db.collection('custom_commands').insertOne({
      _id: new ObjectId(),
      guildId: GUILD,
      name: 'two-creators',
      content: 'x',
      creatorId: [CREATOR, 'z'],
      createdAt: at,
      updatedAt: at,
      lastUsedAt: at,
      useCount: 1,
    });
    // One command a page: the array, sorted among the creators, would otherwise end a page.
    const seen: ClaimedPage[] = [];
    let after: string | null = null;
    do {
      const page: ClaimedPage = await cleanup.claimWarnPage({
        guildId: GUILD,
        cutoff: CUTOFF,
        runKey: 'run-1',
        afterCreatorId: after,
        maxCommands: 1,
      });
      seen.push(page);
      after = page.nextCreatorId;
    } while (after !== null && seen.length < 5);
    expect(seen.flatMap((page) => page.creators)).toEqual([{ creatorId: CREATOR, commands: 1 }]);
    expect(seen.every((page) => page.nextCreatorId === null || typeof page.nextCreatorId === 'string')).toBe(
      true,
    );
    expect(seen.reduce((n, page) => n + page.skippedInvalid, 0)).toBe(1);
  });

  it('are neither claimed nor fatal: an array name or a string _id is counted, skipped, and never blocks a deletion', async () => {
    await seed(['fine']);
    const at = new Date(NOW - 70 * DAY_MS);
    const base = {
      guildId: GUILD,
      content: 'x',
      creatorId: CREATOR,
      createdAt: at,
      updatedAt: at,
      lastUsedAt: at,
      useCount: 1,
    };
    const raw = database.db.collection('custom_commands');
    await raw.insertOne({ ...base, _id: new ObjectId(), name: ['an', 'array'] });
    await raw.insertOne({ ...base, _id: 'a-string-id' as unknown as ObjectId, name: 'string-id' });
    const page = await cleanup.claimWarnPage({
      guildId: GUILD,
      cutoff: CUTOFF,
      runKey: 'run-1',
      afterCreatorId: null,
      maxCommands: 100,
    });
    expect(page.creators).toEqual([{ creatorId: CREATOR, commands: 1 }]);
    expect(page.skippedInvalid).toBe(2);
    // A broken document carrying a warning (written by hand) is reported, not fatal.
    await raw.insertOne({
      ...base,
      _id: 'another-string-id' as unknown as ObjectId,
      name: 'broken-warned',
      cleanup: {
        runKey: 'run-0',
        warnedAt: new Date(NOW),
        deleteAfter: new Date(NOW),
        graceWorkflowId: 'g0',
      },
    });
    const key = { guildId: GUILD, creatorId: CREATOR, runKey: 'run-0', warnedAt: NOW };
    const chunk = await cleanup.deleteWarnedChunk({
      ...key,
      idleBefore: CUTOFF,
      now: new Date(NOW),
      limit: 10,
    });
    expect(chunk).toMatchObject({
      deleted: 0,
      failed: [{ commandId: 'another-string-id', name: 'broken-warned' }],
    });
    expect(await raw.findOne({ name: 'broken-warned' })).not.toHaveProperty('cleanup');
  });
});

describe('chunked deletion', () => {
  it('deletes in chunks, leaves what the creator removed out of the archive, and settles an entry a crash left unmarked', async () => {
    await seed(['a', 'b', 'c', 'd', 'e']);
    expect(await warn('run-1', NOW)).toBe(5);
    const key = { guildId: GUILD, creatorId: CREATOR, runKey: 'run-1', warnedAt: NOW };
    const at = new Date(NOW + 31 * DAY_MS);
    const idleBefore = new Date(Math.min(CUTOFF.getTime(), at.getTime() - 90 * DAY_MS));
    // The creator removes one through the bot-side API (its withdrawal mark goes first).
    await store.remove(GUILD, 'b');
    const first = await cleanup.deleteWarnedChunk({ ...key, idleBefore: CUTOFF, now: at, limit: 2 });
    expect(first).toMatchObject({ deleted: 2, more: true });
    // As if a crash struck between a delete and the marking of its archive entry.
    const archive = database.db.collection(COLLECTIONS.archive);
    const victim = await commands().findOne({ name: 'e' });
    await archive.insertOne({
      _id: `${GUILD}:${victim!._id.toHexString()}:${NOW}` as unknown as ObjectId,
      commandId: victim!._id.toHexString(),
      guildId: GUILD,
      creatorId: CREATOR,
      runKey: 'run-1',
      warnedAt: new Date(NOW),
      name: 'e',
    });
    await commands().deleteOne({ _id: victim!._id });
    const rest = await cleanup.deleteWarnedChunk({ ...key, idleBefore, now: at, limit: 2 });
    expect(rest).toMatchObject({ deleted: 1, more: false });
    const settled = await cleanup.settleWarning(key, at);
    expect(settled.deleted).toBe(1);
    expect(await commands().countDocuments({})).toBe(0);
    const deletedNames = (await archive.find({ deletedAt: { $exists: true } }).toArray()).map(
      (e) => e.name as string,
    );
    expect(deletedNames.sort()).toEqual(['a', 'c', 'd', 'e']);
    expect(await cleanup.countDeletedBetween(GUILD, new Date(NOW), at)).toBe(4);
    expect(await cleanup.countDeletedBetween(GUILD, at, new Date(at.getTime() + DAY_MS))).toBe(0);
  });
});

describe('the deletion activity, retried after an attempt whose result was lost', () => {
  it('reports the deletions the lost attempt made, so the creator still gets the deletion DM', async () => {
    await seed(['a', 'b', 'c']);
    expect(await warn('run-1', NOW)).toBe(3);
    const at = new Date(NOW + 31 * DAY_MS);
    const activities = createWarningLifecycleActivities({
      cleanup,
      locks: createRunLock(database.db),
      incidents: createIncidentLog(database.db),
      // The deletion never reaches Temporal.
      temporal: {} as Client,
      taskQueue: 'unused',
      now: () => at,
    });
    const input = {
      guildId: GUILD,
      creatorId: CREATOR,
      runKey: 'run-1',
      warnedAt: NOW,
      selectedBefore: CUTOFF.getTime(),
      policy: DEFAULT_POLICY,
      at: at.getTime(),
    };
    const attempt = () => new MockActivityEnvironment().run(() => activities.deleteWarnedCommands(input));
    const first = await attempt();
    expect(first).toMatchObject({ deleted: 3, failed: 0 });
    // The retry starts afresh (no heartbeat reached the server) on a database where all is done.
    const retry = await attempt();
    expect(retry).toMatchObject({ deleted: 3, failed: 0 });
    expect(await commands().countDocuments({})).toBe(0);
  });
});
