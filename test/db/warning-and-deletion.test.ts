/**
 * recordWarning and deleteIfStillIdle: the two writes of the cleanup, each run at least
 * once, and the only way a command is ever deleted.
 */
import type { Collection, Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRef, WarningRecord } from '../../src/cleanup/model';
import {
  archiveId,
  COLLECTIONS,
  createCommandStore,
  type ArchivedCommand,
  type CommandStore,
} from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { commandsOf, daysAgo, NOW, refOf, seedCommands, snowflake, warningAt } from './fixtures';
import { DAY_MS } from '../../src/duration';

const WARNED_AT = daysAgo(31);
const DELETE_CUTOFF = daysAgo(90);

describe('warning and deletion', () => {
  let database: TestDatabase;
  let store: CommandStore;
  beforeAll(async () => {
    database = await createTestDatabase('db_deletion');
    store = createCommandStore(database.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await database?.drop();
  });

  const archive = () => database.db.collection<ArchivedCommand>(COLLECTIONS.archive);

  /** A command idle for 100 days, selected and warned 31 days ago as the cleanup does it. */
  async function warnedCommand(): Promise<{ guildId: string; ref: CommandRef; warning: WarningRecord }> {
    const guildId = snowflake();
    await seedCommands(database.db, [
      {
        guildId,
        creatorId: snowflake(),
        name: 'old-cmd',
        content: 'the reply',
        lastUsedAt: daysAgo(100),
        useCount: 7,
      },
    ]);
    const page = await store.findWarnBatch(guildId, daysAgo(60, WARNED_AT), null, 10);
    const ref = page.batches[0]!.commands[0]!;
    const warning = warningAt(WARNED_AT);
    expect(await store.recordWarning(guildId, [ref], warning)).toEqual([ref]);
    return { guildId, ref, warning };
  }

  const deleteNow = (guildId: string, ref: CommandRef, warning: WarningRecord, now = NOW) =>
    store.deleteIfStillIdle(guildId, ref, warning.warnedAt, DELETE_CUTOFF, now);

  describe('recordWarning', () => {
    it('warns only the commands still as selected, and stores the warning as Dates', async () => {
      const guildId = snowflake();
      const creatorId = snowflake();
      await seedCommands(database.db, [
        { guildId, creatorId, name: 'stays-idle', lastUsedAt: daysAgo(70) },
        { guildId, creatorId, name: 'used-meanwhile', lastUsedAt: daysAgo(70) },
        { guildId, creatorId, name: 'edited-meanwhile', lastUsedAt: daysAgo(70) },
      ]);
      const selected = (await store.findWarnBatch(guildId, daysAgo(60), null, 10)).batches[0]!.commands;
      expect(selected).toHaveLength(3);
      await store.recordUse(guildId, 'used-meanwhile', daysAgo(1));
      await store.edit(guildId, 'edited-meanwhile', 'changed', daysAgo(1));

      const warning = warningAt(NOW);
      const recorded = await store.recordWarning(guildId, selected, warning);

      expect(recorded.map((ref) => ref.name)).toEqual(['stays-idle']);
      const stored = await commandsOf(database.db).find({ guildId }).sort({ name: 1 }).toArray();
      expect(stored.map((doc) => [doc.name, doc.cleanup ?? null])).toEqual([
        ['edited-meanwhile', null],
        [
          'stays-idle',
          {
            warnedAt: NOW,
            deleteAfter: new Date(NOW.getTime() + 30 * DAY_MS),
            runKey: warning.runKey,
            graceWorkflowId: warning.graceWorkflowId,
          },
        ],
        ['used-meanwhile', null],
      ]);
    });

    it('is idempotent: a retry of the same warning reports the same commands and changes nothing', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const before = await commandsOf(database.db).findOne({ guildId });

      expect(await store.recordWarning(guildId, [ref], warning)).toEqual([ref]);
      expect(await commandsOf(database.db).findOne({ guildId })).toEqual(before);
    });

    it('never overwrites a warning of another run', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const other = warningAt(NOW);

      expect(await store.recordWarning(guildId, [ref], other)).toEqual([]);
      const stored = await commandsOf(database.db).findOne({ guildId });
      expect(stored?.cleanup?.runKey).toBe(warning.runKey);
    });

    it('ignores refs that cannot name a command, and an empty list', async () => {
      const guildId = snowflake();
      const bogus = { id: 'nope', name: 'x', lastUsedAt: 0, updatedAt: 0 };
      expect(await store.recordWarning(guildId, [bogus], warningAt(NOW))).toEqual([]);
      expect(await store.recordWarning(guildId, [], warningAt(NOW))).toEqual([]);
    });
  });

  describe('deleteIfStillIdle', () => {
    it('archives then deletes a command still idle since its warning', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const original = await commandsOf(database.db).findOne({ guildId });

      const outcome = await deleteNow(guildId, ref, warning);

      const expectedId = archiveId(guildId, ref.id, warning.warnedAt);
      expect(outcome).toEqual({ status: 'deleted', archiveId: expectedId });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);
      expect(await archive().findOne({ _id: expectedId })).toEqual({
        _id: expectedId,
        commandId: ref.id,
        guildId,
        name: 'old-cmd',
        content: 'the reply',
        creatorId: original!.creatorId,
        createdAt: original!.createdAt,
        updatedAt: original!.updatedAt,
        lastUsedAt: original!.lastUsedAt,
        useCount: 7,
        warnedAt: WARNED_AT,
        runKey: warning.runKey,
        deletedAt: NOW,
      });
    });

    it('is idempotent: a second call reports the same deletion and keeps one archive entry', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const first = await deleteNow(guildId, ref, warning);
      const second = await deleteNow(guildId, ref, warning, new Date(NOW.getTime() + 60_000));

      expect(second).toEqual(first);
      const entries = await archive().find({ guildId }).toArray();
      expect(entries).toHaveLength(1);
      expect(entries[0]?.deletedAt).toEqual(NOW);
    });

    it('finishes the deletion of an attempt that crashed after deleting, before marking the archive', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const { archiveId: id } = (await deleteNow(guildId, ref, warning)) as { archiveId: string };
      await archive().updateOne({ _id: id }, { $unset: { deletedAt: '' } });

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'deleted', archiveId: id });
      expect((await archive().findOne({ _id: id }))?.deletedAt).toEqual(NOW);
    });

    it('keeps a command used after its warning, and clears the stale warning', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      await store.recordUse(guildId, 'old-cmd', daysAgo(10));

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'kept', reason: 'used-or-edited' });
      const stored = await commandsOf(database.db).findOne({ guildId });
      expect(stored).toMatchObject({ lastUsedAt: daysAgo(10), useCount: 8 });
      expect(stored?.cleanup).toBeUndefined();
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('keeps a command used a millisecond before the deletion', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      await store.recordUse(guildId, 'old-cmd', new Date(NOW.getTime() - 1));

      expect(await deleteNow(guildId, ref, warning)).toMatchObject({ status: 'kept' });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('keeps a command used between the store reading it and its conditional delete', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      // The bot records a use right after the deletion read the command as idle.
      const racing = createCommandStore(
        afterFirstCommandRead(database.db, async () => {
          await store.recordUse(guildId, 'old-cmd', new Date(NOW.getTime() - 1));
        }),
      );

      expect(await racing.deleteIfStillIdle(guildId, ref, warning.warnedAt, DELETE_CUTOFF, NOW)).toEqual({
        status: 'kept',
        reason: 'used-or-edited',
      });
      expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({ useCount: 8 });
      // The archive entry written before the delete is withdrawn: that was no deletion.
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('keeps a command whose use an older bot recorded without clearing the warning', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const racing = createCommandStore(
        afterFirstCommandRead(database.db, async () => {
          await commandsOf(database.db).updateOne({ guildId }, { $set: { lastUsedAt: daysAgo(91) } });
        }),
      );

      expect(
        await racing.deleteIfStillIdle(guildId, ref, warning.warnedAt, DELETE_CUTOFF, NOW),
      ).toMatchObject({
        status: 'kept',
      });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('keeps a command edited after its warning', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      await store.edit(guildId, 'old-cmd', 'better reply', daysAgo(2));

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'kept', reason: 'used-or-edited' });
      expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({ content: 'better reply' });
    });

    it('keeps a command used between selection and warning, which never got the warning', async () => {
      const guildId = snowflake();
      await seedCommands(database.db, [
        { guildId, creatorId: snowflake(), name: 'c', lastUsedAt: daysAgo(100) },
      ]);
      const ref = (await store.findWarnBatch(guildId, daysAgo(60, WARNED_AT), null, 10)).batches[0]!
        .commands[0]!;
      await store.recordUse(guildId, 'c', daysAgo(40));
      const warning = warningAt(WARNED_AT);
      expect(await store.recordWarning(guildId, [ref], warning)).toEqual([]);

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'kept', reason: 'used-or-edited' });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
    });

    it('keeps a command re-warned since, without touching the newer warning', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      await store.recordUse(guildId, 'old-cmd', daysAgo(29));
      // Idle again later: a newer run warns it again.
      const reselected = (await store.findWarnBatch(guildId, NOW, null, 10)).batches[0]!.commands[0]!;
      const newer = warningAt(daysAgo(1));
      expect(await store.recordWarning(guildId, [reselected], newer)).toEqual([reselected]);

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'kept', reason: 'used-or-edited' });
      expect((await commandsOf(database.db).findOne({ guildId }))?.cleanup?.runKey).toBe(newer.runKey);
    });

    it('keeps (and un-warns) a command not idle for the delete threshold yet', async () => {
      const guildId = snowflake();
      const [doc] = await seedCommands(database.db, [
        { guildId, creatorId: snowflake(), name: 'young', lastUsedAt: daysAgo(70) },
      ]);
      const ref = refOf(doc!);
      const warning = warningAt(WARNED_AT);
      expect(await store.recordWarning(guildId, [ref], warning)).toEqual([ref]);

      expect(await deleteNow(guildId, ref, warning)).toEqual({
        status: 'kept',
        reason: 'not-idle-long-enough',
      });
      const stored = await commandsOf(database.db).findOne({ guildId });
      expect(stored?.cleanup).toBeUndefined();
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('drops the archive entry of an earlier attempt when the command was used since', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      // An earlier attempt archived, then crashed before its conditional delete.
      const id = archiveId(guildId, ref.id, warning.warnedAt);
      const snapshot = await commandsOf(database.db).findOne({ guildId });
      await archive().insertOne({
        _id: id,
        commandId: ref.id,
        guildId,
        name: snapshot!.name,
        content: snapshot!.content,
        creatorId: snapshot!.creatorId,
        createdAt: snapshot!.createdAt,
        updatedAt: snapshot!.updatedAt,
        lastUsedAt: snapshot!.lastUsedAt,
        useCount: snapshot!.useCount,
        warnedAt: WARNED_AT,
        runKey: warning.runKey,
      });
      await store.recordUse(guildId, 'old-cmd', daysAgo(1));

      expect(await deleteNow(guildId, ref, warning)).toMatchObject({ status: 'kept' });
      expect(await archive().countDocuments({ _id: id })).toBe(0);
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
    });

    it('reports a command removed by hand as gone, and archives nothing', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const removal = await store.remove(guildId, 'old-cmd');
      expect(removal.cancelledWarning).toEqual({
        graceWorkflowId: warning.graceWorkflowId,
        commandId: ref.id,
        name: 'old-cmd',
      });

      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'gone' });
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('reports gone when the creator removed the command while an earlier attempt had archived it', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      const id = archiveId(guildId, ref.id, warning.warnedAt);
      const doc = await commandsOf(database.db).findOne({ guildId });
      const { _id: _ignored, cleanup: _warning, ...fields } = doc!;
      await archive().insertOne({
        ...fields,
        _id: id,
        commandId: ref.id,
        warnedAt: WARNED_AT,
        runKey: warning.runKey,
      });

      await store.remove(guildId, 'old-cmd');
      expect(await deleteNow(guildId, ref, warning)).toEqual({ status: 'gone' });
      expect(await archive().countDocuments({ guildId })).toBe(0);
    });

    it('reports a ref that names no document as gone', async () => {
      const guildId = snowflake();
      const ghost = { id: 'f'.repeat(24), name: 'ghost', lastUsedAt: 0, updatedAt: 0 };
      expect(await store.deleteIfStillIdle(guildId, ghost, WARNED_AT.getTime(), DELETE_CUTOFF, NOW)).toEqual({
        status: 'gone',
      });
      expect(await store.deleteIfStillIdle(guildId, { ...ghost, id: 'bad' }, 0, DELETE_CUTOFF, NOW)).toEqual({
        status: 'gone',
      });
    });

    it('never deletes the command of another guild with the same id', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      expect(await deleteNow(snowflake(), ref, warning)).toEqual({ status: 'gone' });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
    });

    it('leaves the guild statistics consistent after deletions', async () => {
      const { guildId, ref, warning } = await warnedCommand();
      expect(await store.stats(guildId)).toEqual({ activeCommands: 1, creators: 1, pendingDeletions: 1 });
      await deleteNow(guildId, ref, warning);
      expect(await store.stats(guildId)).toEqual({ activeCommands: 0, creators: 0, pendingDeletions: 0 });
      expect(await store.countDeletedSince(guildId, daysAgo(1))).toBe(1);
    });
  });
});

/** The database, except that the first read of one custom command runs `hook` before returning. */
function afterFirstCommandRead(db: Db, hook: () => Promise<void>): Db {
  let fired = false;
  const wrap = (collection: Collection<Document>) =>
    new Proxy(collection, {
      get(target, property) {
        if (property === 'findOne') {
          return async (...args: Parameters<Collection<Document>['findOne']>) => {
            const found = await target.findOne(...args);
            if (!fired) {
              fired = true;
              await hook();
            }
            return found;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, property) {
      if (property === 'collection') {
        return (name: string) =>
          name === COLLECTIONS.commands ? wrap(target.collection(name)) : target.collection(name);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
