/**
 * Every index the product relies on, per collection: the one list that the stores'
 * `ensureIndexes` create and the database maintenance verifies and repairs. No TTL or
 * partial index: FerretDB 1.24 has neither, so retention is the maintenance's purge.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS } from './contract';

export type CollectionKey = keyof typeof COLLECTIONS;

export interface DeclaredIndex {
  /** Fields in order, all ascending. */
  key: Record<string, 1>;
  unique?: true;
}

export const DECLARED_INDEXES: { [collection in CollectionKey]?: DeclaredIndex[] } = {
  commands: [
    // One name per guild; the bot's lookups by name.
    { key: { guildId: 1, name: 1 }, unique: true },
    // The warning sweep's idle cutoff.
    { key: { guildId: 1, lastUsedAt: 1 } },
    { key: { guildId: 1, 'cleanup.warnedAt': 1 } },
    // With _id: the warn sweep pages in (creatorId, _id) order.
    { key: { guildId: 1, creatorId: 1, _id: 1 } },
    { key: { guildId: 1, 'cleanupPending.runKey': 1 } },
    { key: { guildId: 1, 'cleanup.graceWorkflowId': 1 } },
  ],
  archive: [
    // Restore: the newest deletion of a name.
    { key: { guildId: 1, name: 1, deletedAt: 1 } },
    // The retention purge.
    { key: { deletedAt: 1 } },
    // A creator's deletion DM lists what one warning deleted.
    { key: { guildId: 1, creatorId: 1, runKey: 1 } },
  ],
  withdrawals: [{ key: { withdrawnAt: 1 } }],
  notifications: [{ key: { createdAt: 1 } }],
  incidents: [{ key: { guildId: 1, at: 1 } }],
  // The weekly analytics read a guild's days in a range.
  usage: [{ key: { guildId: 1, day: 1 } }],
};

/** The name MongoDB gives an index by default (`guildId_1_name_1`), which createIndex uses too. */
export function indexName(index: DeclaredIndex): string {
  return Object.entries(index.key)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

/**
 * Creates the declared indexes of these collections (idempotent). One createIndex call
 * per index, one at a time: FerretDB 1.24 drops the connection when one createIndexes
 * command lists two or more indexes that all exist, and mishandles concurrent index
 * creation on one collection.
 */
export async function ensureDeclaredIndexes(db: Db, collections: CollectionKey[]): Promise<void> {
  for (const collection of collections) {
    for (const index of DECLARED_INDEXES[collection] ?? []) await createDeclaredIndex(db, collection, index);
  }
}

export function createDeclaredIndex(
  db: Db,
  collection: CollectionKey,
  index: DeclaredIndex,
): Promise<string> {
  return db.collection(COLLECTIONS[collection]).createIndex(index.key, index.unique ? { unique: true } : {});
}
