/**
 * The idempotency log of notifications: one document per deterministic key, written
 * once. A retried activity reads it before sending and finds the first outcome.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, type NotificationLog, type NotificationRecord } from './contract';
import { isDuplicateKeyError } from './mongo-errors';

export function createNotificationLog(db: Db): NotificationLog {
  const log = db.collection<NotificationRecord>(COLLECTIONS.notifications);

  return {
    async ensureIndexes() {
      // For purge; no TTL index, which FerretDB lacks: purging is an explicit task.
      await log.createIndex({ createdAt: 1 });
    },

    get: (key) => log.findOne({ _id: key }),

    async record(key, outcome, now) {
      // Spelled out so that absent fields stay absent (the driver would store undefined as null).
      const first: Omit<NotificationRecord, '_id'> = { status: outcome.status, createdAt: now };
      if (outcome.messageIds !== undefined) first.messageIds = outcome.messageIds;
      if (outcome.reason !== undefined) first.reason = outcome.reason;
      try {
        const stored = await log.findOneAndUpdate(
          { _id: key },
          { $setOnInsert: first },
          { upsert: true, returnDocument: 'after' },
        );
        if (stored) return stored;
      } catch (error) {
        // A concurrent writer inserted the same key first: theirs is the record.
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await log.findOne({ _id: key });
      if (!existing) throw new Error(`Notification record ${key} vanished while being written`);
      return existing;
    },

    async purge(before) {
      const { deletedCount } = await log.deleteMany({ createdAt: { $lt: before } });
      return deletedCount;
    },
  };
}
