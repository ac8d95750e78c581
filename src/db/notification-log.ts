/**
 * The idempotency log of notifications: one document per deterministic key. A retried
 * activity reads it before sending: a settled record is the outcome, a pending one
 * says which parts already went out (see NotificationRecord).
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, type NotificationLog, type NotificationRecord } from './contract';
import { deleteInBatches } from './batched-delete';
import { ensureDeclaredIndexes } from './indexes';
import { isDuplicateKeyError } from './mongo-errors';

export function createNotificationLog(db: Db): NotificationLog {
  const log = db.collection<NotificationRecord>(COLLECTIONS.notifications);

  async function insertOnce(
    key: string,
    first: Omit<NotificationRecord, '_id'>,
  ): Promise<NotificationRecord> {
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
  }

  return {
    // For purge (declared in indexes.ts); no TTL index, which FerretDB lacks: purging is an explicit task.
    ensureIndexes: () => ensureDeclaredIndexes(db, ['notifications']),

    get: (key) => log.findOne({ _id: key }),

    record(key, outcome, now) {
      // Spelled out so that absent fields stay absent (the driver would store undefined as null).
      const first: Omit<NotificationRecord, '_id'> = { status: outcome.status, createdAt: now };
      if (outcome.messageIds !== undefined) first.messageIds = outcome.messageIds;
      if (outcome.reason !== undefined) first.reason = outcome.reason;
      return insertOnce(key, first);
    },

    async begin(key, params, now) {
      const record = await insertOnce(key, { status: 'pending', params, parts: {}, createdAt: now });
      const attempted = Object.keys(record.parts ?? {}).length > 0;
      if (record.status !== 'pending' || attempted || sameParams(record.params, params)) return record;
      // Nothing went out yet: the content may be built afresh (a later deadline, never an earlier one).
      await log.updateOne({ _id: key, status: 'pending' }, { $set: { params } });
      return { ...record, params };
    },

    async restart(key, params) {
      await log.updateOne({ _id: key, status: 'pending' }, { $set: { params, parts: {} } });
      const record = await log.findOne({ _id: key });
      if (!record) throw new Error(`Notification record ${key} vanished while being restarted`);
      return record;
    },

    async partAttempted(key, part, at) {
      await log.updateOne({ _id: key }, { $set: { [`parts.p${part}.attemptedAt`]: at } });
    },

    async partSent(key, part, messageId) {
      await log.updateOne({ _id: key }, { $set: { [`parts.p${part}.messageId`]: messageId } });
    },

    async settle(key, outcome, lastPart) {
      const set: Record<string, unknown> = { status: outcome.status };
      if (outcome.messageIds !== undefined) set.messageIds = outcome.messageIds;
      if (outcome.reason !== undefined) set.reason = outcome.reason;
      // The last part's id in the same write: one statement less per notification.
      if (lastPart) set[`parts.p${lastPart.part}.messageId`] = lastPart.messageId;
      await log.updateOne({ _id: key, status: 'pending' }, { $set: set });
    },

    async purge(before) {
      return (await deleteInBatches(log, { createdAt: { $lt: before } })).deleted;
    },
  };
}

function sameParams(a: Record<string, number> | undefined, b: Record<string, number>): boolean {
  if (!a) return Object.keys(b).length === 0;
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k]);
}
