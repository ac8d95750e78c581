/** findWarnBatch: which commands are at risk, grouped by creator, paged without losing anyone. */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatorBatch } from '../../src/cleanup/model';
import { createCommandStore, type CommandStore, type WarnBatchPage } from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { commandsOf, daysAgo, refOf, seedCommands, snowflake, warningAt } from './fixtures';

const WARN_CUTOFF = daysAgo(60);

describe('findWarnBatch', () => {
  let database: TestDatabase;
  let store: CommandStore;
  beforeAll(async () => {
    database = await createTestDatabase('db_warn_batch');
    store = createCommandStore(database.db);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Every page of a sweep, following nextCreatorId to the end. */
  async function sweep(guildId: string, maxCommands: number): Promise<WarnBatchPage[]> {
    const pages: WarnBatchPage[] = [];
    let after: string | null = null;
    do {
      const page = await store.findWarnBatch(guildId, WARN_CUTOFF, after, maxCommands);
      pages.push(page);
      after = page.nextCreatorId;
      if (pages.length > 100) throw new Error('the sweep does not end');
    } while (after !== null);
    return pages;
  }

  it('selects exactly the commands unused and unedited since the cutoff and not yet warned', async () => {
    const guildId = snowflake();
    const creatorId = snowflake();
    const warning = warningAt(daysAgo(5));
    const [idle, exactlyAtCutoff] = await seedCommands(database.db, [
      { guildId, creatorId, name: 'idle', lastUsedAt: daysAgo(61) },
      { guildId, creatorId, name: 'at-cutoff', lastUsedAt: WARN_CUTOFF, updatedAt: WARN_CUTOFF },
      { guildId, creatorId, name: 'used-recently', lastUsedAt: daysAgo(59) },
      { guildId, creatorId, name: 'just-after', lastUsedAt: new Date(WARN_CUTOFF.getTime() + 1) },
      { guildId, creatorId, name: 'edited-recently', lastUsedAt: daysAgo(100), updatedAt: daysAgo(10) },
      {
        guildId,
        creatorId,
        name: 'already-warned',
        lastUsedAt: daysAgo(80),
        cleanup: {
          warnedAt: new Date(warning.warnedAt),
          deleteAfter: new Date(warning.deleteAfter),
          runKey: warning.runKey,
          graceWorkflowId: warning.graceWorkflowId,
        },
      },
      { guildId: snowflake(), creatorId, name: 'other-guild', lastUsedAt: daysAgo(200) },
    ]);

    const page = await store.findWarnBatch(guildId, WARN_CUTOFF, null, 50);
    expect(page).toEqual({
      batches: [{ creatorId, commands: [refOf(idle!), refOf(exactlyAtCutoff!)] }],
      nextCreatorId: null,
      skippedInvalid: 0,
    });
  });

  it('pages across creators without losing or repeating anyone, each creator whole in one page', async () => {
    const guildId = snowflake();
    const commandsPerCreator = [3, 1, 5, 2, 4, 1, 3];
    const creators = commandsPerCreator.map(() => snowflake());
    const seeded = await seedCommands(
      database.db,
      creators.flatMap((creatorId, i) => [
        ...Array.from({ length: commandsPerCreator[i]! }, (_, n) => ({
          guildId,
          creatorId,
          lastUsedAt: daysAgo(61 + n * 7),
        })),
        // Noise each creator also has: recently used, never a candidate.
        { guildId, creatorId, lastUsedAt: daysAgo(3) },
      ]),
    );
    const expected = seeded.filter((doc) => doc.lastUsedAt <= WARN_CUTOFF);

    const pages = await sweep(guildId, 4);
    const batches = pages.flatMap((page) => page.batches);

    // Each creator exactly once, ascending, with all of their idle commands.
    expect(batches.map((b) => b.creatorId)).toEqual([...creators].sort());
    for (const batch of batches) {
      const theirs = expected.filter((doc) => doc.creatorId === batch.creatorId).map(refOf);
      expect(sortById(batch.commands)).toEqual(sortById(theirs));
    }
    expect(batches.flatMap((b) => b.commands)).toHaveLength(expected.length);
    // A page holds at most maxCommands commands, unless one creator alone has more.
    for (const page of pages) {
      const size = count(page.batches);
      expect(size <= 4 || page.batches.length === 1).toBe(true);
    }
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.at(-1)?.nextCreatorId).toBeNull();
    expect(pages.every((page) => page.skippedInvalid === 0)).toBe(true);
  });

  it('brings a creator with more commands than maxCommands whole, in a page of their own', async () => {
    const guildId = snowflake();
    const [small, big, after] = [snowflake(), snowflake(), snowflake()].sort();
    await seedCommands(database.db, [
      { guildId, creatorId: small!, lastUsedAt: daysAgo(70) },
      ...Array.from({ length: 9 }, (_, n) => ({ guildId, creatorId: big!, lastUsedAt: daysAgo(70 + n) })),
      { guildId, creatorId: after!, lastUsedAt: daysAgo(70) },
    ]);

    const pages = await sweep(guildId, 4);
    expect(pages.map((page) => page.batches.map((b) => [b.creatorId, b.commands.length]))).toEqual([
      [[small, 1]],
      [[big, 9]],
      [[after, 1]],
    ]);
  });

  it('returns an empty, complete page when nothing is at risk', async () => {
    expect(await store.findWarnBatch(snowflake(), WARN_CUTOFF, null, 10)).toEqual({
      batches: [],
      nextCreatorId: null,
      skippedInvalid: 0,
    });
  });

  it('skips and counts documents that break the contract, once per sweep, without throwing', async () => {
    const guildId = snowflake();
    const [alice, bob] = [snowflake(), snowflake()].sort();
    const old = daysAgo(90);
    const base = { guildId, createdAt: old, updatedAt: old, lastUsedAt: old, useCount: 1, content: 'x' };
    const [valid] = await seedCommands(database.db, [
      { guildId, creatorId: alice!, name: 'fine', lastUsedAt: old, updatedAt: old },
    ]);
    const broken = [
      { ...base, _id: new ObjectId(), creatorId: alice, name: 'no-content', content: undefined },
      { ...base, _id: new ObjectId(), creatorId: alice, name: 'count-as-text', useCount: 'seven' },
      { ...base, _id: new ObjectId(), creatorId: bob, name: 42 },
      { ...base, _id: new ObjectId(), creatorId: bob, name: 'created-as-text', createdAt: '2020-01-01' },
      { ...base, _id: 'not-an-object-id', creatorId: bob, name: 'string-id' },
      { ...base, _id: new ObjectId(), name: 'no-creator' },
      { ...base, _id: new ObjectId(), creatorId: 1234, name: 'numeric-creator' },
      { ...base, _id: new ObjectId(), creatorId: '', name: 'empty-creator' },
      { ...base, _id: new ObjectId(), creatorId: bob, name: 'half-warning', cleanup: { runKey: 'r' } },
    ];
    await database.db.collection('custom_commands').insertMany(broken.map(withoutUndefined));
    // Not even matched (a Date is compared with Dates only): never warned, never counted.
    await database.db.collection('custom_commands').insertOne({
      ...base,
      _id: new ObjectId(),
      creatorId: bob,
      name: 'used-as-text',
      lastUsedAt: 'long ago',
    });

    const pages = await sweep(guildId, 2);
    expect(pages.flatMap((page) => page.batches)).toEqual([{ creatorId: alice, commands: [refOf(valid!)] }]);
    expect(pages.reduce((sum, page) => sum + page.skippedInvalid, 0)).toBe(broken.length);
    // The broken documents are left alone: reads never modify them.
    expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(broken.length + 2);
  });

  it('refuses a page size that is not a positive integer', async () => {
    await expect(store.findWarnBatch(snowflake(), WARN_CUTOFF, null, 0)).rejects.toThrow(RangeError);
  });
});

function sortById<T extends { id: string }>(refs: T[]): T[] {
  return [...refs].sort((a, b) => a.id.localeCompare(b.id));
}

function count(batches: CreatorBatch[]): number {
  return batches.reduce((sum, batch) => sum + batch.commands.length, 0);
}

function withoutUndefined(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined));
}
