/** The archive of deleted commands: content for the deletion DM, counts, restore and purge. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COLLECTIONS,
  CommandExistsError,
  createCommandStore,
  NothingToRestoreError,
  type ArchivedCommand,
  type CommandStore,
} from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { commandsOf, daysAgo, NOW, seedCommands, snowflake, warningAt } from './fixtures';
import { DAY_MS } from '../../src/duration';

describe('archive', () => {
  let database: TestDatabase;
  let store: CommandStore;
  beforeAll(async () => {
    database = await createTestDatabase('db_archive');
    store = createCommandStore(database.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await database?.drop();
  });

  const archive = () => database.db.collection<ArchivedCommand>(COLLECTIONS.archive);

  /** Seeds idle commands, warns them at `warnedAt` and deletes them at `deletedAt`: the archive ids. */
  async function deleteThroughCleanup(
    guildId: string,
    commands: { name: string; content: string; useCount?: number }[],
    { warnedAt = daysAgo(31), deletedAt = NOW } = {},
  ): Promise<string[]> {
    const creatorId = snowflake();
    // Idle enough to be warned at warnedAt and deleted at deletedAt.
    const lastUsedAt = new Date(Math.min(daysAgo(61, warnedAt).getTime(), daysAgo(91, deletedAt).getTime()));
    await seedCommands(
      database.db,
      commands.map((c) => ({ guildId, creatorId, ...c, lastUsedAt })),
    );
    const refs = (await store.findWarnBatch(guildId, daysAgo(60, warnedAt), null, 100)).batches.flatMap(
      (b) => b.commands,
    );
    if (refs.length !== commands.length) throw new Error('the fixture did not select every command');
    const warning = warningAt(warnedAt);
    await store.recordWarning(guildId, refs, warning);
    const ids: string[] = [];
    for (const ref of refs) {
      const outcome = await store.deleteIfStillIdle(
        guildId,
        ref,
        warning.warnedAt,
        daysAgo(90, deletedAt),
        deletedAt,
      );
      if (outcome.status !== 'deleted') throw new Error(`expected a deletion, got ${outcome.status}`);
      ids.push(outcome.archiveId);
    }
    return ids;
  }

  it('returns archived commands with their content, in the order asked, leaving out unknown ids', async () => {
    const guildId = snowflake();
    const [first, second] = await deleteThroughCleanup(guildId, [
      { name: 'one', content: 'first reply', useCount: 2 },
      { name: 'two', content: 'second reply', useCount: 9 },
    ]);

    const found = await store.archived([second!, 'no-such-id', first!]);
    expect(found.map((entry) => [entry.name, entry.content, entry.useCount, entry.deletedAt])).toEqual([
      ['two', 'second reply', 9, NOW],
      ['one', 'first reply', 2, NOW],
    ]);
    expect(await store.archived([])).toEqual([]);
  });

  it('counts the deletions of one guild after an instant, not deletions in progress', async () => {
    const guildId = snowflake();
    await deleteThroughCleanup(guildId, [{ name: 'early', content: 'a' }], {
      warnedAt: daysAgo(40),
      deletedAt: daysAgo(9),
    });
    await deleteThroughCleanup(guildId, [
      { name: 'late-a', content: 'b' },
      { name: 'late-b', content: 'c' },
    ]);
    await deleteThroughCleanup(snowflake(), [{ name: 'elsewhere', content: 'd' }]);
    await archive().insertOne({
      _id: `${guildId}:in-progress`,
      commandId: 'x',
      guildId,
      name: 'pending',
      content: 'e',
      creatorId: snowflake(),
      createdAt: NOW,
      updatedAt: NOW,
      lastUsedAt: NOW,
      useCount: 0,
      warnedAt: NOW,
      runKey: 'r',
    });

    expect(await store.countDeletedSince(guildId, daysAgo(1))).toBe(2);
    expect(await store.countDeletedSince(guildId, daysAgo(10))).toBe(3);
    expect(await store.countDeletedSince(guildId, NOW)).toBe(0);
  });

  describe('restore', () => {
    it('puts the newest deleted version back, as just used, and marks it restored', async () => {
      const guildId = snowflake();
      const [older] = await deleteThroughCleanup(
        guildId,
        [{ name: 'faq', content: 'old answer', useCount: 1 }],
        {
          warnedAt: daysAgo(200),
          deletedAt: daysAgo(150),
        },
      );
      const [newer] = await deleteThroughCleanup(guildId, [
        { name: 'faq', content: 'new answer', useCount: 12 },
      ]);
      const later = new Date(NOW.getTime() + DAY_MS);

      const restored = await store.restore(guildId, 'FAQ', later);

      expect(restored).toMatchObject({ name: 'faq', content: 'new answer', useCount: 12, lastUsedAt: later });
      expect(restored.warning).toBeUndefined();
      const stored = await commandsOf(database.db).findOne({ guildId, name: 'faq' });
      expect(stored).toMatchObject({ content: 'new answer', useCount: 12, lastUsedAt: later });
      expect(stored?.cleanup).toBeUndefined();
      expect((await archive().findOne({ _id: newer! }))?.restoredAt).toEqual(later);
      expect((await archive().findOne({ _id: older! }))?.restoredAt).toBeUndefined();
      // As just used: the next sweep does not warn it.
      expect((await store.findWarnBatch(guildId, daysAgo(60, later), null, 10)).batches).toEqual([]);
    });

    it('refuses when the name is taken again, and keeps the archive entry for later', async () => {
      const guildId = snowflake();
      const [id] = await deleteThroughCleanup(guildId, [{ name: 'taken', content: 'archived' }]);
      await store.create({ guildId, name: 'taken', content: 'new one', creatorId: snowflake() }, NOW);

      await expect(store.restore(guildId, 'taken', NOW)).rejects.toThrow(CommandExistsError);
      expect(await commandsOf(database.db).find({ guildId }).toArray()).toMatchObject([
        { content: 'new one' },
      ]);
      expect((await archive().findOne({ _id: id! }))?.restoredAt).toBeUndefined();
    });

    it('refuses when nothing is archived under that name, or it was restored already', async () => {
      const guildId = snowflake();
      await expect(store.restore(guildId, 'never', NOW)).rejects.toThrow(NothingToRestoreError);

      await deleteThroughCleanup(guildId, [{ name: 'once', content: 'x' }]);
      await store.restore(guildId, 'once', NOW);
      await store.remove(guildId, 'once');
      await expect(store.restore(guildId, 'once', NOW)).rejects.toThrow(NothingToRestoreError);
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);
    });

    it('finishes a restore that was interrupted before marking the archive entry', async () => {
      const guildId = snowflake();
      const [id] = await deleteThroughCleanup(guildId, [{ name: 'again', content: 'y' }]);
      const first = await store.restore(guildId, 'again', NOW);
      await archive().updateOne({ _id: id! }, { $unset: { restoredAt: '' } });

      const second = await store.restore(guildId, 'again', NOW);
      expect(second.id).toBe(first.id);
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
      expect((await archive().findOne({ _id: id! }))?.restoredAt).toEqual(NOW);
    });
  });

  it('purges entries deleted before the retention limit, not newer ones nor deletions in progress', async () => {
    const guildId = snowflake();
    const [old] = await deleteThroughCleanup(guildId, [{ name: 'ancient', content: 'a' }], {
      warnedAt: daysAgo(400),
      deletedAt: daysAgo(370),
    });
    const [recent] = await deleteThroughCleanup(guildId, [{ name: 'recent', content: 'b' }]);
    await archive().insertOne({
      _id: `${guildId}:in-progress`,
      commandId: 'x',
      guildId,
      name: 'pending',
      content: 'c',
      creatorId: snowflake(),
      createdAt: daysAgo(500),
      updatedAt: daysAgo(500),
      lastUsedAt: daysAgo(500),
      useCount: 0,
      warnedAt: daysAgo(400),
      runKey: 'r',
    });

    const purged = await store.purgeArchive(daysAgo(365));

    expect(purged).toBe(1);
    expect(await archive().countDocuments({ _id: old! })).toBe(0);
    expect(await archive().countDocuments({ _id: recent! })).toBe(1);
    expect(await archive().countDocuments({ _id: `${guildId}:in-progress` })).toBe(1);
  });
});
