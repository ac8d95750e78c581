/**
 * When each guild's admin summary was last posted (`cleanup_runs`, one document per
 * guild): deletions happen in grace workflows between runs, and each summary reports
 * those since the previous one.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, type RunLog } from './contract';
import { isDuplicateKeyError } from './mongo-errors';

interface RunLogDoc {
  /** The guild id. */
  _id: string;
  lastSummaryAt: Date;
  /** The run that posted that summary, for whoever investigates. */
  runKey: string;
}

export function createRunLog(db: Db): RunLog {
  const runs = db.collection<RunLogDoc>(COLLECTIONS.runs);

  return {
    async lastSummaryAt(guildId) {
      const doc = await runs.findOne({ _id: guildId });
      return doc?.lastSummaryAt ?? null;
    },

    async recordSummary(guildId, at, runKey) {
      try {
        await runs.updateOne(
          { _id: guildId },
          { $setOnInsert: { lastSummaryAt: at, runKey } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // Only forward: a late retry of an older run must not make the next summary count twice.
      await runs.updateOne(
        { _id: guildId, lastSummaryAt: { $lt: at } },
        { $set: { lastSummaryAt: at, runKey } },
      );
    },
  };
}
