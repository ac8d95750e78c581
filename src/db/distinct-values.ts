/**
 * Distinct values counted in the worker, over one streamed pass. FerretDB 1.24's
 * `distinct` and `$group` look each value up among those found so far, one by one
 * (and `$group` holds every document meanwhile): quadratic in the distinct values. At a
 * million commands of 10,000 creators, counting the creators ran past an activity's
 * 10 minutes. Streaming a projection costs one read of the matching documents on
 * either database, and the worker's memory holds the distinct values only.
 */
import type { Collection, Document, Filter } from 'mongodb';

/**
 * The driver keeps a parsed wrapper of every document of a batch until the batch is done:
 * batches of 10,000 outlived the young generation, and over a million documents the
 * worker's heap grew by about 250 MiB of garbage collected late. Batches of 1,000 die young.
 */
const SCAN_BATCH = 1000;

export interface DistinctScan {
  /** Documents matched (with or without a value). */
  documents: number;
  /** The field's string values; other types are not counted. */
  values: Set<string>;
}

export async function scanDistinct<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  field: string,
): Promise<DistinctScan> {
  const values = new Set<string>();
  let documents = 0;
  const path = field.split('.');
  const cursor = collection.find(filter, { projection: { _id: 0, [field]: 1 }, batchSize: SCAN_BATCH });
  for await (const doc of cursor) {
    documents += 1;
    const value = path.reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), doc);
    if (typeof value === 'string') values.add(value);
  }
  return { documents, values };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
