/**
 * The retention purge of one guild: which entries of each purged collection are past
 * their retention, counted (dry run) or deleted in bounded batches. Archive entries go
 * once their deletion is older than the retention (an entry still without `deletedAt`
 * is a deletion in progress, never purged), withdrawal marks with them; log entries
 * by their own time.
 */
import type { Db, Document, Filter } from 'mongodb';
import { deleteInBatches, type BatchedDeleteOptions, type BatchedDeleteResult } from './batched-delete';
import { COLLECTIONS } from './contract';
import { utcDay } from '../analytics/days';
import { guildScope } from './guild-scope';

export const PURGE_TARGETS = ['archive', 'withdrawals', 'notifications', 'incidents', 'usage'] as const;
export type PurgeTarget = (typeof PURGE_TARGETS)[number];

/** The field whose age decides. */
const AGE_FIELD: Record<PurgeTarget, string> = {
  archive: 'deletedAt',
  withdrawals: 'withdrawnAt',
  notifications: 'createdAt',
  incidents: 'at',
  // Uses per command and UTC day: a day wholly before the cutoff's day.
  usage: 'day',
};

export function expiredFilter(target: PurgeTarget, guildId: string, before: Date): Document {
  const cutoff = target === 'usage' ? utcDay(before) : before;
  return { ...guildScope(target, guildId), [AGE_FIELD[target]]: { $lt: cutoff } };
}

export function countExpired(db: Db, target: PurgeTarget, guildId: string, before: Date): Promise<number> {
  return db.collection(COLLECTIONS[target]).countDocuments(expiredFilter(target, guildId, before));
}

export function purgeExpiredEntries(
  db: Db,
  target: PurgeTarget,
  guildId: string,
  before: Date,
  options: BatchedDeleteOptions,
): Promise<BatchedDeleteResult> {
  const collection = db.collection<{ _id: string }>(COLLECTIONS[target]);
  return deleteInBatches(
    collection,
    expiredFilter(target, guildId, before) as Filter<{ _id: string }>,
    options,
  );
}
