/**
 * The maintenance's check of the declared indexes (indexes.ts): each collection's
 * indexes listed first, so a missing one is known and named; missing ones created
 * again, one at a time. An index on the declared key with other options is reported,
 * never rebuilt: a unique index cannot be built over duplicates, and dropping one the
 * bot relies on is an operator's decision.
 */
import { MongoServerError, type Db, type Document } from 'mongodb';
import { COLLECTIONS } from './contract';
import { DECLARED_INDEXES, indexName, type CollectionKey, type DeclaredIndex } from './indexes';

export interface IndexRef {
  collection: string;
  name: string;
}

export interface IndexCheck {
  /** Declared indexes checked. */
  verified: number;
  /** Missing, and created by this check. */
  created: IndexRef[];
  /** Missing and not created (a dry run). */
  missing: IndexRef[];
  /** What looks wrong: an index with other options, a creation the server refused. */
  problems: string[];
}

const NAMESPACE_NOT_FOUND = 26;

export async function checkIndexes(db: Db, options: { repair: boolean }): Promise<IndexCheck> {
  const check: IndexCheck = { verified: 0, created: [], missing: [], problems: [] };
  for (const [key, declared] of Object.entries(DECLARED_INDEXES) as [CollectionKey, DeclaredIndex[]][]) {
    const collection = COLLECTIONS[key];
    const existing = await existingIndexes(db, collection);
    for (const index of declared) {
      check.verified += 1;
      const ref = { collection, name: indexName(index) };
      const found = existing.find((e) => sameKey(e.key as Document, index.key));
      if (found) {
        if (Boolean(found.unique) !== Boolean(index.unique)) {
          check.problems.push(
            `${collection}.${String(found.name)} should ${index.unique ? '' : 'not '}be unique`,
          );
        }
      } else if (!options.repair) {
        check.missing.push(ref);
      } else {
        const outcome = await createIndex(db, collection, index);
        if (outcome === 'created') check.created.push(ref);
        else if (outcome !== 'existed')
          check.problems.push(`${collection}.${ref.name} not created: ${outcome}`);
      }
    }
  }
  return check;
}

async function existingIndexes(db: Db, collection: string): Promise<Document[]> {
  try {
    return (await db.collection(collection).listIndexes().toArray()) as Document[];
  } catch (error) {
    // A collection not created yet has no indexes; creating one creates the collection.
    if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}

/**
 * The createIndexes command itself, for its answer: `numIndexesAfter` tells whether
 * this call created the index or another worker's did meanwhile (both servers say it).
 * A refusal by the server (duplicates under a unique key, a name taken by another key)
 * is returned as the reason; a connection failure throws, for the activity's retry.
 */
async function createIndex(db: Db, collection: string, index: DeclaredIndex): Promise<string> {
  try {
    const answer = await db.command({
      createIndexes: collection,
      indexes: [{ key: index.key, name: indexName(index), ...(index.unique ? { unique: true } : {}) }],
    });
    return Number(answer.numIndexesAfter) > Number(answer.numIndexesBefore) ? 'created' : 'existed';
  } catch (error) {
    if (error instanceof MongoServerError) return firstLine(error.message);
    throw error;
  }
}

function sameKey(actual: Document, declared: Record<string, 1>): boolean {
  const a = Object.entries(actual);
  const d = Object.entries(declared);
  return (
    a.length === d.length && a.every(([field, direction], i) => field === d[i]![0] && direction === d[i]![1])
  );
}

/** FerretDB's messages carry a Go stack of `[file:line ...]` frames before the reason. */
function firstLine(message: string): string {
  return message.replace(/^(\[[^\]]*\]\s*)+/, '').slice(0, 200);
}
