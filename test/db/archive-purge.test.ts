/**
 * The archive purge in bounded batches: an archive far larger than one batch is purged
 * completely, one deleteMany of at most PURGE_BATCH_SIZE ids at a time, and the total
 * comes back; newer entries, deletions in progress and recent withdrawals stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURGE_BATCH_SIZE } from '../../src/db/archive';
import { WITHDRAWALS_COLLECTION, type Withdrawal } from '../../src/db/deletion';
import { COLLECTIONS, createCommandStore, type ArchivedCommand } from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { daysAgo, NOW, snowflake } from './fixtures';
import { hookedDb } from './hooked-db';
import { DAY_MS } from '../../src/duration';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('db_purge');
  await createCommandStore(database.db).ensureIndexes();
});
afterAll(async () => {
  await database?.drop();
});

const archive = () => database.db.collection<ArchivedCommand>(COLLECTIONS.archive);
const withdrawals = () => database.db.collection<Withdrawal>(WITHDRAWALS_COLLECTION);

function entry(guildId: string, n: number, deletedAt?: Date): ArchivedCommand {
  const at = daysAgo(500);
  return {
    _id: `${guildId}:${n.toString(16).padStart(24, '0')}:${at.getTime()}`,
    commandId: n.toString(16).padStart(24, '0'),
    guildId,
    name: `cmd-${n}`,
    content: `reply ${n}`,
    creatorId: '1196423567638659079',
    createdAt: at,
    updatedAt: at,
    lastUsedAt: at,
    useCount: 1,
    warnedAt: at,
    runKey: 'run',
    ...(deletedAt ? { deletedAt } : {}),
  };
}

describe('purgeArchive', () => {
  it('purges more entries than one batch, a batch at a time, and returns the total', async () => {
    const guildId = snowflake();
    const expired = 2 * PURGE_BATCH_SIZE + 345;
    const old = Array.from({ length: expired }, (_, n) => entry(guildId, n, daysAgo(400 + (n % 7))));
    const recent = Array.from({ length: 5 }, (_, n) => entry(guildId, expired + n, daysAgo(3)));
    const inProgress = Array.from({ length: 3 }, (_, n) => entry(guildId, expired + 5 + n));
    await archive().insertMany([...old, ...recent, ...inProgress]);
    await withdrawals().insertMany([
      { _id: `${guildId}:withdrawn-long-ago`, guildId, withdrawnAt: daysAgo(400) },
      { _id: `${guildId}:withdrawn-lately`, guildId, withdrawnAt: daysAgo(2) },
    ]);
    const calls = new Map<string, unknown[][]>();
    const store = createCommandStore(hookedDb(database.db, [], calls));

    expect(await store.purgeArchive(daysAgo(365))).toBe(expired);

    const deletes = calls.get(`${COLLECTIONS.archive}.deleteMany`) ?? [];
    expect(deletes.length).toBe(Math.ceil(expired / PURGE_BATCH_SIZE));
    for (const [filter] of deletes) expect(idsIn(filter).length).toBeLessThanOrEqual(PURGE_BATCH_SIZE);
    const left = await archive().find({ guildId }).toArray();
    expect(left.map((e) => e.name).sort()).toEqual([...recent, ...inProgress].map((e) => e.name).sort());
    expect(await withdrawals().find({ guildId }).toArray()).toEqual([
      { _id: `${guildId}:withdrawn-lately`, guildId, withdrawnAt: daysAgo(2) },
    ]);
    // Nothing left to purge: the next run deletes nothing and says so.
    expect(await store.purgeArchive(daysAgo(365))).toBe(0);
    expect(await store.purgeArchive(new Date(NOW.getTime() + DAY_MS))).toBe(5);
  });
});

/** The ids of a `{ $and: [{ _id: { $in } }, ...] }` or `{ _id: { $in } }` filter. */
function idsIn(filter: unknown): unknown[] {
  const clauses = (filter as { $and?: unknown[] }).$and ?? [filter];
  for (const clause of clauses) {
    const ids = (clause as { _id?: { $in?: unknown[] } })._id?.$in;
    if (ids) return ids;
  }
  throw new Error(`not a purge by ids: ${JSON.stringify(filter)}`);
}
