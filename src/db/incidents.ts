/**
 * What went wrong where no run was watching: a deletion that could not be done, a
 * deletion DM that could not be delivered, a grace period that could not start. Each
 * is recorded once (deterministic key) and listed by the next admin summary.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS } from './contract';
import { deleteInBatches } from './batched-delete';
import { ensureDeclaredIndexes } from './indexes';
import { isDuplicateKeyError } from './mongo-errors';

export type IncidentKind = 'deletion-failed' | 'deletion-dm-failed' | 'grace-not-started';

export interface Incident {
  /** `<guildId>:<kind>:<creatorId>:<runKey>`: recording the same incident twice keeps one. */
  _id: string;
  guildId: string;
  kind: IncidentKind;
  creatorId: string;
  runKey: string;
  /** How many commands it concerns. */
  commands: number;
  /** Short, secret-free reason (an undeliverable reason, or what failed). */
  reason: string;
  at: Date;
}

export interface IncidentLog {
  ensureIndexes(): Promise<void>;
  record(incident: Omit<Incident, '_id'>): Promise<void>;
  /** Incidents of the guild recorded in (since, until]: the next summary lists each once. */
  between(
    guildId: string,
    since: Date,
    until: Date,
    limit: number,
  ): Promise<{ total: number; listed: Incident[] }>;
  purge(before: Date, batchSize?: number): Promise<number>;
}

export function createIncidentLog(db: Db): IncidentLog {
  const incidents = db.collection<Incident>(COLLECTIONS.incidents);

  return {
    // Declared in indexes.ts, which the database maintenance verifies.
    ensureIndexes: () => ensureDeclaredIndexes(db, ['incidents']),

    async record(incident) {
      const _id = `${incident.guildId}:${incident.kind}:${incident.creatorId}:${incident.runKey}`;
      try {
        await incidents.insertOne({ _id, ...incident });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },

    async between(guildId, since, until, limit) {
      const filter = { guildId, at: { $gt: since, $lte: until } };
      const [total, listed] = await Promise.all([
        incidents.countDocuments(filter),
        incidents.find(filter).sort({ at: 1 }).limit(limit).toArray(),
      ]);
      return { total, listed };
    },

    async purge(before, batchSize) {
      return (await deleteInBatches(incidents, { at: { $lt: before } }, { batchSize })).deleted;
    },
  };
}
