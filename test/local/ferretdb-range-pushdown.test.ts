/**
 * The embedded FerretDB's range and existence pushdown (tools/ferretdb/_pushdown), on
 * the suite's real FerretDB: PostgreSQL gets the date ranges and `$exists` of a filter
 * (so the documents that cannot match never leave it), and the answers stay MongoDB's,
 * whatever type a field holds (arrays match by their elements; other types never match
 * a date). Against TEST_MONGODB_URI the answers are checked the same; the plan only on
 * FerretDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection, Document, Filter } from 'mongodb';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3);
const CUTOFF = new Date(NOW - 60 * DAY);
const at = (days: number) => new Date(NOW - days * DAY);

/** One document per shape `lastUsedAt` can take, named for it. */
const SHAPES: Record<string, unknown> = {
  recent: at(10),
  idle: at(70),
  atCutoff: CUTOFF,
  idleInArray: [at(70)],
  recentInArray: [at(10)],
  mixedArray: [1, 'x', at(80)],
  emptyArray: [],
  number: 5,
  hugeNumber: 9_007_199_254_740_991,
  string: 'yesterday',
  null: null,
  boolean: true,
  object: { at: at(70) },
};
const ALL = [...Object.keys(SHAPES), 'missing'];

describe('embedded FerretDB: date ranges and $exists pushed to PostgreSQL', () => {
  let database: TestDatabase;
  let commands: Collection;
  let isFerretDb = false;

  beforeAll(async () => {
    database = await createTestDatabase('db_pushdown');
    commands = database.db.collection('pushdown');
    await commands.insertMany([
      ...Object.entries(SHAPES).map(([shape, lastUsedAt]) => ({ guildId: 'g', shape, lastUsedAt })),
      { guildId: 'g', shape: 'missing' },
      { guildId: 'other', shape: 'idle', lastUsedAt: at(70) },
    ]);
    const info = await database.db.admin().command({ buildInfo: 1 });
    isFerretDb = typeof info.ferretdbVersion === 'string';
  });
  afterAll(async () => {
    await database?.drop();
  });

  const shapes = async (filter: Filter<Document>) =>
    (await commands.find({ guildId: 'g', ...filter }).toArray()).map((doc) => doc.shape as string).sort();

  it.each([
    ['$lte', ['atCutoff', 'idle', 'idleInArray', 'mixedArray']],
    ['$lt', ['idle', 'idleInArray', 'mixedArray']],
    ['$gte', ['atCutoff', 'recent', 'recentInArray']],
    ['$gt', ['recent', 'recentInArray']],
  ])(
    'lastUsedAt %s the cutoff matches the dates, and the arrays holding one, on its side only',
    async (op, want) => {
      expect(await shapes({ lastUsedAt: { [op]: CUTOFF } })).toEqual([...want].sort());
    },
  );

  it('$exists: true matches every stored value, null included; false only the missing field', async () => {
    expect(await shapes({ lastUsedAt: { $exists: true } })).toEqual(
      ALL.filter((s) => s !== 'missing').sort(),
    );
    expect(await shapes({ lastUsedAt: { $exists: false } })).toEqual(['missing']);
  });

  it('counts and updates see the same documents as finds', async () => {
    expect(await commands.countDocuments({ guildId: 'g', lastUsedAt: { $lte: CUTOFF } })).toBe(4);
    const { modifiedCount } = await commands.updateMany(
      { guildId: 'g', lastUsedAt: { $lt: CUTOFF }, marked: { $exists: false } },
      { $set: { marked: true } },
    );
    expect(modifiedCount).toBe(3);
    expect(await shapes({ marked: { $exists: true } })).toEqual(['idle', 'idleInArray', 'mixedArray']);
  });

  it('sends the date range and $exists to PostgreSQL (the plan filters on them)', async (context) => {
    if (!isFerretDb) return context.skip();
    const explained = await database.db.command({
      explain: {
        find: 'pushdown',
        filter: { guildId: 'g', lastUsedAt: { $lte: CUTOFF }, marked: { $exists: false } },
      },
    });
    const plan = JSON.stringify(explained.queryPlanner);
    expect(plan).toContain(`-> 'lastUsedAt'::text) <= '${CUTOFF.getTime()}'::jsonb`);
    expect(plan).toContain(`NOT (`);
    expect(plan).toMatch(/_jsonb \? 'marked'::text/);
  });
});
