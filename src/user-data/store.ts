/**
 * A user's records in the database, through the table of records.ts: counted, read
 * collection by collection (for the export file) and deleted.
 */
import type { Db, Document } from 'mongodb';
import { USER_RECORDS, userFilters, type AnyDocument, type UserScope } from './records';

/** Records per collection; every collection of the table is named, 0 when none. */
export type RecordCounts = Record<string, number>;

export async function countUserRecords(db: Db, scope: UserScope): Promise<RecordCounts> {
  const counts: RecordCounts = {};
  for (const { collection, filter } of await userFilters(db, scope)) {
    counts[collection] = filter ? await db.collection<AnyDocument>(collection).countDocuments(filter) : 0;
  }
  return counts;
}

/** Each collection's documents of the user in turn, as a cursor (bounded memory). */
export async function* userDocuments(
  db: Db,
  scope: UserScope,
): AsyncGenerator<{ collection: string; documents: AsyncIterable<Document> }> {
  for (const { collection, filter } of await userFilters(db, scope)) {
    const documents = filter
      ? db.collection<AnyDocument>(collection).find(filter).sort({ _id: 1 })
      : emptyCursor();
    yield { collection, documents };
  }
}

async function* emptyCursor(): AsyncGenerator<Document> {}

/**
 * Deletes the user's records, collection by collection in table order, adding what
 * each deletes to `erased` (a retry passes the counts so far and counts what is left).
 * `progress` is told after each collection.
 */
export async function eraseUserRecords(
  db: Db,
  scope: UserScope,
  erased: RecordCounts,
  progress: (erased: RecordCounts) => void = () => undefined,
): Promise<RecordCounts> {
  // One rule at a time: a rule's filter may read collections erased after it.
  for (const rule of USER_RECORDS) {
    if (rule.kind !== 'documents') continue;
    const filter = await rule.filter(scope, db);
    const deleted = filter
      ? (await db.collection<AnyDocument>(rule.collection).deleteMany(filter)).deletedCount
      : 0;
    erased[rule.collection] = (erased[rule.collection] ?? 0) + deleted;
    progress(erased);
  }
  return erased;
}
