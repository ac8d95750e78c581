/**
 * Deletion of many documents in batches of ids: read at most `batchSize` ids, then one
 * `deleteMany` over them. Purging a huge collection never holds one giant statement
 * (FerretDB has no TTL index to spread it, and a long deleteMany there blocks the
 * collection for everyone else), and a caller can stop after a few batches.
 */
import type { Collection, Filter } from 'mongodb';

/** How many documents one statement removes at most. */
export const DELETE_BATCH_SIZE = 1_000;

export interface BatchedDeleteOptions {
  batchSize?: number;
  /** Stop after this many batches, so that one run stays short; the next run continues. Default: none. */
  maxBatches?: number;
  /** After each batch, with the total so far (a heartbeat). */
  onBatch?: (deleted: number) => void;
}

export interface BatchedDeleteResult {
  deleted: number;
  /** False when `maxBatches` stopped it with more left to delete. */
  done: boolean;
}

export async function deleteInBatches<T extends { _id: string }>(
  collection: Collection<T>,
  filter: Filter<T>,
  { batchSize = DELETE_BATCH_SIZE, maxBatches = Infinity, onBatch }: BatchedDeleteOptions = {},
): Promise<BatchedDeleteResult> {
  let deleted = 0;
  for (let batches = 0; batches < maxBatches; batches++) {
    const batch = await collection
      .find(filter)
      .project<{ _id: string }>({ _id: 1 })
      .limit(batchSize)
      .toArray();
    if (batch.length === 0) return { deleted, done: true };
    // The condition again: a document changed since it was read is left alone.
    const { deletedCount } = await collection.deleteMany({
      $and: [{ _id: { $in: batch.map((doc) => doc._id) } }, filter],
    } as Filter<T>);
    deleted += deletedCount;
    onBatch?.(deleted);
    // A short batch was the last one; a batch that deleted nothing would be read again forever.
    if (batch.length < batchSize || deletedCount === 0) return { deleted, done: true };
  }
  // Capped: done only if exactly the last batch emptied it.
  const left = await collection.find(filter).project({ _id: 1 }).limit(1).toArray();
  return { deleted, done: left.length === 0 };
}
