/** Distinct values counted in the worker, on the suite's real FerretDB (or MongoDB). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection, Document } from 'mongodb';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { scanDistinct } from '../../src/db/distinct-values';

describe('scanDistinct', () => {
  let database: TestDatabase;
  let things: Collection<Document>;
  beforeAll(async () => {
    database = await createTestDatabase('db_distinct');
    things = database.db.collection('things');
    await things.insertMany([
      { g: 1, owner: 'a', warn: { id: 'w1' } },
      { g: 1, owner: 'a', warn: { id: 'w1' } },
      { g: 1, owner: 'b', warn: { id: 'w2' } },
      { g: 1, owner: 7, warn: 'not a document' },
      { g: 1 },
      { g: 2, owner: 'c', warn: { id: 'w3' } },
    ]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('counts every matched document and the distinct string values only', async () => {
    const { documents, values } = await scanDistinct(things, { g: 1 }, 'owner');
    expect(documents).toBe(5);
    expect([...values].sort()).toEqual(['a', 'b']);
  });

  it('follows a dotted path, through documents only', async () => {
    const { documents, values } = await scanDistinct(things, { g: 1 }, 'warn.id');
    expect(documents).toBe(5);
    expect([...values].sort()).toEqual(['w1', 'w2']);
  });

  it('finds nothing in an empty scope', async () => {
    expect(await scanDistinct(things, { g: 3 }, 'owner')).toEqual({ documents: 0, values: new Set() });
  });
});
