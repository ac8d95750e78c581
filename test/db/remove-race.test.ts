/**
 * A creator's own `remove` racing the cleanup's deletion of the same command, played
 * step by step on the real server: whatever the interleaving, a removal the creator
 * asked for is never archived nor reported as a cleanup deletion, and a deletion of
 * ours that crashed before marking its archive entry is still reported as one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRef, WarningRecord } from '../../src/cleanup/model';
import {
  archiveId,
  COLLECTIONS,
  createCommandStore,
  NothingToRestoreError,
  type ArchivedCommand,
  type CommandStore,
} from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { commandsOf, daysAgo, NOW, seedCommands, snowflake, warningAt } from './fixtures';
import { hookedDb, signal, type Hook } from './hooked-db';

const WARNED_AT = daysAgo(31);
const DELETE_CUTOFF = daysAgo(90);
const NAME = 'old-cmd';

let database: TestDatabase;
let store: CommandStore;
beforeAll(async () => {
  database = await createTestDatabase('db_remove_race');
  store = createCommandStore(database.db);
  await store.ensureIndexes();
});
afterAll(async () => {
  await database?.drop();
});

const archive = () => database.db.collection<ArchivedCommand>(COLLECTIONS.archive);
const storeWith = (...hooks: Hook[]) => createCommandStore(hookedDb(database.db, hooks));

/** A command idle for 100 days, warned 31 days ago: due for deletion at NOW. */
async function warnedCommand(): Promise<{ guildId: string; ref: CommandRef; warning: WarningRecord }> {
  const guildId = snowflake();
  await seedCommands(database.db, [
    { guildId, creatorId: snowflake(), name: NAME, content: 'the reply', lastUsedAt: daysAgo(100) },
  ]);
  const ref = (await store.findWarnBatch(guildId, daysAgo(60, WARNED_AT), null, 10)).batches[0]!.commands[0]!;
  const warning = warningAt(WARNED_AT);
  expect(await store.recordWarning(guildId, [ref], warning)).toEqual([ref]);
  return { guildId, ref, warning };
}

const deleteWith = (s: CommandStore, guildId: string, ref: CommandRef, warning: WarningRecord) =>
  s.deleteIfStillIdle(guildId, ref, warning.warnedAt, DELETE_CUTOFF, NOW);

/** Nothing of the command is left: not in the commands, not archived, not restorable, not counted. */
async function expectRemovedWithoutTrace(guildId: string) {
  expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);
  expect(await archive().countDocuments({ guildId })).toBe(0);
  expect(await store.countDeletedSince(guildId, daysAgo(1))).toBe(0);
  await expect(store.restore(guildId, NAME, NOW)).rejects.toThrow(NothingToRestoreError);
}

describe('remove racing a cleanup deletion', () => {
  it('removed after the cleanup archived it: gone, and the snapshot dropped', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    const cleanup = storeWith({
      collection: COLLECTIONS.archive,
      method: 'updateOne',
      when: 'after',
      run: async () => void (await store.remove(guildId, NAME)),
    });

    expect(await deleteWith(cleanup, guildId, ref, warning)).toEqual({ status: 'gone' });
    await expectRemovedWithoutTrace(guildId);
  });

  it('removed after the cleanup read it, before it archived: gone, nothing archived', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    const cleanup = storeWith({
      collection: COLLECTIONS.commands,
      method: 'findOne',
      when: 'after',
      run: async () => void (await store.remove(guildId, NAME)),
    });

    expect(await deleteWith(cleanup, guildId, ref, warning)).toEqual({ status: 'gone' });
    await expectRemovedWithoutTrace(guildId);
  });

  it('the creator deletes between our archive and our delete, and cleans up only after we settled', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    const creatorDeleted = signal();
    const cleanupSettled = signal();
    // The bot: its delete lands, then it pauses before dropping the snapshot.
    const creator = storeWith({
      collection: COLLECTIONS.commands,
      method: 'findOneAndDelete',
      when: 'after',
      run: async () => {
        creatorDeleted.resolve();
        await cleanupSettled.promise;
      },
    });
    let removal: Promise<{ removed: boolean }> | undefined;
    // The cleanup: archives, then lets the bot run up to its delete.
    const cleanup = storeWith({
      collection: COLLECTIONS.archive,
      method: 'updateOne',
      when: 'after',
      run: async () => {
        removal = creator.remove(guildId, NAME);
        await creatorDeleted.promise;
      },
    });

    const outcome = await deleteWith(cleanup, guildId, ref, warning);
    cleanupSettled.resolve();

    expect(outcome).toEqual({ status: 'gone' });
    expect(await removal).toMatchObject({ removed: true });
    await expectRemovedWithoutTrace(guildId);
  });

  it('a crash between our delete and our archive mark is still reported as our deletion', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    const id = archiveId(guildId, ref.id, warning.warnedAt);
    // The second archive write of an attempt is the mark: the worker dies just before it.
    const crashing = storeWith({
      collection: COLLECTIONS.archive,
      method: 'updateOne',
      call: 2,
      when: 'before',
      run: () => Promise.reject(new Error('worker killed')),
    });
    await expect(deleteWith(crashing, guildId, ref, warning)).rejects.toThrow('worker killed');
    expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);

    // The creator tries to remove it meanwhile: it is already gone.
    expect(await store.remove(guildId, NAME)).toEqual({ removed: false });

    expect(await deleteWith(store, guildId, ref, warning)).toEqual({ status: 'deleted', archiveId: id });
    expect(await archive().findOne({ _id: id })).toMatchObject({ content: 'the reply', deletedAt: NOW });
    expect(await store.countDeletedSince(guildId, daysAgo(1))).toBe(1);
  });

  it('a removal that read the command just before our deletion finds it gone; ours stands', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    const id = archiveId(guildId, ref.id, warning.warnedAt);
    let cleanupOutcome: unknown;
    const creator = storeWith({
      collection: COLLECTIONS.commands,
      method: 'findOne',
      when: 'after',
      run: async () => {
        cleanupOutcome = await deleteWith(store, guildId, ref, warning);
      },
    });

    expect(await creator.remove(guildId, NAME)).toEqual({ removed: false });

    expect(cleanupOutcome).toEqual({ status: 'deleted', archiveId: id });
    // A retry after the creator's late mark still reports the same deletion.
    expect(await deleteWith(store, guildId, ref, warning)).toEqual({ status: 'deleted', archiveId: id });
    expect((await store.restore(guildId, NAME, NOW)).content).toBe('the reply');
  });

  it('a second attempt that read the command before the removal archives nothing lasting', async () => {
    const { guildId, ref, warning } = await warnedCommand();
    // Attempt A reads, the creator removes, attempt B (a retry) settles, then A archives and deletes.
    const attemptA = storeWith({
      collection: COLLECTIONS.commands,
      method: 'findOne',
      when: 'after',
      run: async () => {
        await store.remove(guildId, NAME);
        expect(await deleteWith(store, guildId, ref, warning)).toEqual({ status: 'gone' });
      },
    });

    expect(await deleteWith(attemptA, guildId, ref, warning)).toEqual({ status: 'gone' });
    await expectRemovedWithoutTrace(guildId);
  });
});
