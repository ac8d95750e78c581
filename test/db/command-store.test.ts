/** The bot-side API of the command store, against the suite's real FerretDB (or MongoDB). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import {
  CommandExistsError,
  createCommandStore,
  InvalidCommandError,
  InvalidDocumentError,
  type CommandStore,
} from '../../src/db';
import { commandsOf, daysAgo, NOW, seedCommands, snowflake, warningAt } from './fixtures';

describe('command store: the bot-side API', () => {
  let database: TestDatabase;
  let store: CommandStore;
  beforeAll(async () => {
    database = await createTestDatabase('db_store');
    store = createCommandStore(database.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await database?.drop();
  });

  describe('create', () => {
    it('stores a normalised name, the clock at creation and no warning', async () => {
      const guildId = snowflake();
      const creatorId = snowflake();
      const created = await store.create(
        { guildId, name: '  Hello-World_2 ', content: 'hi there', creatorId },
        NOW,
      );

      expect(created).toMatchObject({
        guildId,
        name: 'hello-world_2',
        content: 'hi there',
        creatorId,
        useCount: 0,
      });
      expect(created.warning).toBeUndefined();
      const stored = await commandsOf(database.db).findOne({ guildId });
      expect(stored).toEqual({
        _id: expect.anything() as unknown,
        guildId,
        name: 'hello-world_2',
        content: 'hi there',
        creatorId,
        createdAt: NOW,
        updatedAt: NOW,
        lastUsedAt: NOW,
        useCount: 0,
      });
      expect(stored?._id.toHexString()).toBe(created.id);
    });

    it.each([
      ['a', 'too short'],
      ['x'.repeat(33), 'too long'],
      ['two words', 'a space'],
      ['café', 'a non-ascii letter'],
      ['hey!', 'punctuation'],
    ])('refuses the name %j (%s) and stores nothing', async (name) => {
      const guildId = snowflake();
      await expect(
        store.create({ guildId, name, content: 'ok', creatorId: snowflake() }, NOW),
      ).rejects.toThrow(InvalidCommandError);
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);
    });

    it('refuses empty or too long content without echoing it, and accepts exactly 2000 characters', async () => {
      const guildId = snowflake();
      const creatorId = snowflake();
      await expect(store.create({ guildId, name: 'empty', content: '   ', creatorId }, NOW)).rejects.toThrow(
        InvalidCommandError,
      );
      const secret = 'SECRET-'.repeat(300);
      const error = await store
        .create({ guildId, name: 'long', content: secret, creatorId }, NOW)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCommandError);
      expect((error as Error).message).not.toContain('SECRET');
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);

      await store.create({ guildId, name: 'max', content: 'y'.repeat(2000), creatorId }, NOW);
      expect(await commandsOf(database.db).countDocuments({ guildId, name: 'max' })).toBe(1);
    });

    it('refuses a name already taken in the guild, whatever its case, but not in another guild', async () => {
      const guildId = snowflake();
      const creatorId = snowflake();
      await store.create({ guildId, name: 'rules', content: 'first', creatorId }, NOW);
      await expect(
        store.create({ guildId, name: 'RULES', content: 'second', creatorId }, NOW),
      ).rejects.toThrow(CommandExistsError);
      await store.create({ guildId: snowflake(), name: 'rules', content: 'elsewhere', creatorId }, NOW);

      const stored = await commandsOf(database.db).find({ guildId }).toArray();
      expect(stored.map((doc) => doc.content)).toEqual(['first']);
    });
  });

  describe('recordUse', () => {
    it('restarts the clock and counts the use', async () => {
      const guildId = snowflake();
      await seedCommands(database.db, [
        { guildId, creatorId: snowflake(), name: 'ping', lastUsedAt: daysAgo(20), useCount: 4 },
      ]);
      const effect = await store.recordUse(guildId, 'Ping', NOW);

      expect(effect?.cancelledWarning).toBeUndefined();
      expect(effect?.command).toMatchObject({ name: 'ping', lastUsedAt: NOW, useCount: 5 });
      expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({
        lastUsedAt: NOW,
        useCount: 5,
      });
    });

    it('cancels a pending warning and names the grace workflow to signal', async () => {
      const guildId = snowflake();
      const warning = warningAt(daysAgo(3));
      const [doc] = await seedCommands(database.db, [
        {
          guildId,
          creatorId: snowflake(),
          name: 'old',
          lastUsedAt: daysAgo(70),
          cleanup: {
            warnedAt: new Date(warning.warnedAt),
            deleteAfter: new Date(warning.deleteAfter),
            runKey: warning.runKey,
            graceWorkflowId: warning.graceWorkflowId,
          },
        },
      ]);
      const effect = await store.recordUse(guildId, 'old', NOW);

      expect(effect?.cancelledWarning).toEqual({
        graceWorkflowId: warning.graceWorkflowId,
        commandId: doc!._id.toHexString(),
        name: 'old',
      });
      expect(effect?.command.warning).toBeUndefined();
      const stored = await commandsOf(database.db).findOne({ guildId });
      expect(stored?.cleanup).toBeUndefined();
      expect(stored?.lastUsedAt).toEqual(NOW);

      // A second use has nothing left to cancel.
      expect((await store.recordUse(guildId, 'old', NOW))?.cancelledWarning).toBeUndefined();
    });

    it('returns null for an unknown command', async () => {
      expect(await store.recordUse(snowflake(), 'nothing', NOW)).toBeNull();
    });

    it('throws a clear error, not a crash, on a stored command that breaks the contract', async () => {
      const guildId = snowflake();
      await commandsOf(database.db).insertOne({ guildId, name: 'broken', useCount: 1 } as never);
      await expect(store.recordUse(guildId, 'broken', NOW)).rejects.toThrow(InvalidDocumentError);
    });
  });

  describe('edit', () => {
    it('replaces the content and restarts the clock through updatedAt, not lastUsedAt', async () => {
      const guildId = snowflake();
      const lastUsedAt = daysAgo(50);
      await seedCommands(database.db, [{ guildId, creatorId: snowflake(), name: 'faq', lastUsedAt }]);
      const effect = await store.edit(guildId, 'faq', 'new answer', NOW);

      expect(effect?.cancelledWarning).toBeUndefined();
      expect(effect?.command).toMatchObject({ content: 'new answer', updatedAt: NOW, lastUsedAt });
      expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({
        content: 'new answer',
        updatedAt: NOW,
        lastUsedAt,
      });
    });

    it('cancels a pending warning', async () => {
      const guildId = snowflake();
      const warning = warningAt(daysAgo(1));
      await seedCommands(database.db, [
        {
          guildId,
          creatorId: snowflake(),
          name: 'warned',
          lastUsedAt: daysAgo(61),
          cleanup: {
            warnedAt: new Date(warning.warnedAt),
            deleteAfter: new Date(warning.deleteAfter),
            runKey: warning.runKey,
            graceWorkflowId: warning.graceWorkflowId,
          },
        },
      ]);
      const effect = await store.edit(guildId, 'warned', 'still useful', NOW);

      expect(effect?.cancelledWarning?.graceWorkflowId).toBe(warning.graceWorkflowId);
      expect((await commandsOf(database.db).findOne({ guildId }))?.cleanup).toBeUndefined();
    });

    it('refuses invalid content and leaves the command as it was', async () => {
      const guildId = snowflake();
      await seedCommands(database.db, [
        { guildId, creatorId: snowflake(), name: 'keep', content: 'original', lastUsedAt: daysAgo(5) },
      ]);
      await expect(store.edit(guildId, 'keep', 'z'.repeat(2001), NOW)).rejects.toThrow(InvalidCommandError);
      expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({ content: 'original' });
      expect(await store.edit(guildId, 'missing', 'x', NOW)).toBeNull();
    });
  });

  describe('remove', () => {
    it('deletes without archiving and reports a cancelled warning', async () => {
      const guildId = snowflake();
      const warning = warningAt(daysAgo(2));
      const [, warned] = await seedCommands(database.db, [
        { guildId, creatorId: snowflake(), name: 'plain', lastUsedAt: daysAgo(1) },
        {
          guildId,
          creatorId: snowflake(),
          name: 'warned',
          lastUsedAt: daysAgo(65),
          cleanup: {
            warnedAt: new Date(warning.warnedAt),
            deleteAfter: new Date(warning.deleteAfter),
            runKey: warning.runKey,
            graceWorkflowId: warning.graceWorkflowId,
          },
        },
      ]);
      expect(await store.remove(guildId, 'plain')).toEqual({ removed: true });
      expect(await store.remove(guildId, 'WARNED')).toEqual({
        removed: true,
        cancelledWarning: {
          graceWorkflowId: warning.graceWorkflowId,
          commandId: warned!._id.toHexString(),
          name: 'warned',
        },
      });
      expect(await store.remove(guildId, 'plain')).toEqual({ removed: false });
      expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(0);
      expect(await database.db.collection('deleted_custom_commands').countDocuments({ guildId })).toBe(0);
    });
  });

  describe('list', () => {
    it('lists a guild by name, optionally one creator, skipping documents that break the contract', async () => {
      const guildId = snowflake();
      const alice = snowflake();
      const bob = snowflake();
      await seedCommands(database.db, [
        { guildId, creatorId: bob, name: 'zeta', lastUsedAt: daysAgo(1) },
        { guildId, creatorId: alice, name: 'alpha', lastUsedAt: daysAgo(1) },
        { guildId, creatorId: alice, name: 'mid', lastUsedAt: daysAgo(1) },
        { guildId: snowflake(), creatorId: alice, name: 'other-guild', lastUsedAt: daysAgo(1) },
      ]);
      await commandsOf(database.db).insertOne({
        guildId,
        creatorId: alice,
        name: 'broken',
        content: 7,
      } as never);

      expect((await store.list(guildId)).map((c) => c.name)).toEqual(['alpha', 'mid', 'zeta']);
      expect((await store.list(guildId, { creatorId: alice })).map((c) => c.name)).toEqual(['alpha', 'mid']);
    });
  });

  describe('stats', () => {
    it('counts active commands, distinct creators and pending deletions of one guild', async () => {
      const guildId = snowflake();
      const [alice, bob, carol] = [snowflake(), snowflake(), snowflake()];
      const warning = warningAt(daysAgo(3));
      const cleanup = {
        warnedAt: new Date(warning.warnedAt),
        deleteAfter: new Date(warning.deleteAfter),
        runKey: warning.runKey,
        graceWorkflowId: warning.graceWorkflowId,
      };
      await seedCommands(database.db, [
        { guildId, creatorId: alice, lastUsedAt: daysAgo(1) },
        { guildId, creatorId: alice, lastUsedAt: daysAgo(70), cleanup },
        { guildId, creatorId: bob, lastUsedAt: daysAgo(80), cleanup },
        { guildId, creatorId: carol, lastUsedAt: daysAgo(2) },
        { guildId: snowflake(), creatorId: snowflake(), lastUsedAt: daysAgo(90), cleanup },
      ]);

      expect(await store.stats(guildId)).toEqual({ activeCommands: 4, creators: 3, pendingDeletions: 2 });
      expect(await store.stats(snowflake())).toEqual({ activeCommands: 0, creators: 0, pendingDeletions: 0 });

      // A document breaking the contract (no creator) is a command without a creator.
      await commandsOf(database.db).insertOne({ guildId, name: 'orphan' } as never);
      expect(await store.stats(guildId)).toEqual({ activeCommands: 5, creators: 3, pendingDeletions: 2 });
    });
  });

  describe('ensureIndexes', () => {
    it('is idempotent and makes names unique per guild', async () => {
      await store.ensureIndexes();
      const indexes = await commandsOf(database.db).indexes();
      const unique = indexes.find((index) => index.unique);
      expect(unique?.key).toEqual({ guildId: 1, name: 1 });
      expect(indexes.map((index) => index.key)).toEqual(
        expect.arrayContaining([
          { guildId: 1, lastUsedAt: 1 },
          { guildId: 1, 'cleanup.warnedAt': 1 },
          { guildId: 1, creatorId: 1, _id: 1 },
        ]),
      );
      const archiveIndexes = await database.db.collection('deleted_custom_commands').indexes();
      expect(archiveIndexes.map((index) => index.key)).toEqual(
        expect.arrayContaining([{ guildId: 1, name: 1, deletedAt: 1 }, { deletedAt: 1 }]),
      );
    });
  });
});
