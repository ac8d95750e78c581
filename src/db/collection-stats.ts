/**
 * Statistics of every collection of the data contract for one guild: its documents,
 * and the whole collection's size as the database reports it (`collStats`, which
 * FerretDB 1.24 and MongoDB both answer; a deployment whose user may not run it gets
 * counts only, and the reason).
 */
import { MongoServerError, type Db } from 'mongodb';
import { COLLECTIONS } from './contract';
import { guildScope } from './guild-scope';
import type { CollectionKey } from './indexes';

export interface CollectionStats {
  collection: string;
  /** The guild's documents; absent for a collection not kept per guild (DM channels). */
  guildDocuments?: number;
  /** The rest is the whole collection (every guild), when the database tells it. */
  documents?: number;
  dataBytes?: number;
  storageBytes?: number;
  indexBytes?: number;
  indexes?: number;
}

export async function collectionStats(
  db: Db,
  guildId: string,
): Promise<{ collections: CollectionStats[]; sizesUnavailable?: string }> {
  const collections: CollectionStats[] = [];
  let sizesUnavailable: string | undefined;
  // One collection at a time: a daily statistic is not worth a burst of statements.
  for (const key of Object.keys(COLLECTIONS) as CollectionKey[]) {
    const collection = COLLECTIONS[key];
    const scope = guildScope(key, guildId);
    const stats: CollectionStats = { collection };
    if (scope) stats.guildDocuments = await db.collection(collection).countDocuments(scope);
    if (sizesUnavailable === undefined) {
      try {
        Object.assign(stats, sizesOf(await db.command({ collStats: collection })));
      } catch (error) {
        if (!(error instanceof MongoServerError)) throw error;
        sizesUnavailable = `collStats refused: ${error.codeName ?? error.message.slice(0, 120)}`;
      }
    }
    collections.push(stats);
  }
  return sizesUnavailable === undefined ? { collections } : { collections, sizesUnavailable };
}

function sizesOf(answer: Record<string, unknown>): Omit<CollectionStats, 'collection' | 'guildDocuments'> {
  const number = (field: string) => (typeof answer[field] === 'number' ? answer[field] : 0);
  return {
    documents: number('count'),
    dataBytes: number('size'),
    storageBytes: number('storageSize'),
    indexBytes: number('totalIndexSize'),
    indexes: number('nindexes'),
  };
}
