/**
 * At most one cleanup run per guild at a time, however it was started (its Schedule,
 * a trigger, `starter run`, `npm start`): a Schedule's overlap policy only sees the
 * runs it started itself. The lease is one document per guild, created with a unique
 * `_id` (an insert is atomic on MongoDB and FerretDB alike) and naming the run's
 * workflow id. A lease whose holder no longer runs (finished, failed, terminated) is
 * taken over; the holder's liveness is Temporal's word, not a timeout.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS } from './contract';
import { isDuplicateKeyError } from './mongo-errors';

interface LockDoc {
  /** The guild id. */
  _id: string;
  runKey: string;
  since: Date;
}

export type LockOutcome = { acquired: true } | { acquired: false; heldBy: string };

export interface RunLock {
  /** Takes the guild's lease for `runKey`; `isRunning` says whether another holder still runs. */
  acquire(
    guildId: string,
    runKey: string,
    now: Date,
    isRunning: (runKey: string) => Promise<boolean>,
  ): Promise<LockOutcome>;
  /** Gives the lease back if `runKey` holds it. */
  release(guildId: string, runKey: string): Promise<void>;
}

export function createRunLock(db: Db): RunLock {
  const locks = db.collection<LockDoc>(COLLECTIONS.locks);

  return {
    async acquire(guildId, runKey, now, isRunning) {
      // Twice at most: once as is, once after taking over a lease whose holder is gone.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await locks.insertOne({ _id: guildId, runKey, since: now });
          return { acquired: true };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const holder = await locks.findOne({ _id: guildId });
        if (!holder) continue; // released in between
        // The same run again: a retried activity, or the run continued as new.
        if (holder.runKey === runKey) return { acquired: true };
        if (await isRunning(holder.runKey)) return { acquired: false, heldBy: holder.runKey };
        await locks.deleteOne({ _id: guildId, runKey: holder.runKey });
      }
      const holder = await locks.findOne({ _id: guildId });
      return { acquired: false, heldBy: holder?.runKey ?? 'unknown' };
    },

    async release(guildId, runKey) {
      await locks.deleteOne({ _id: guildId, runKey });
    },
  };
}
