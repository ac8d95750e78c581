/**
 * Uses of custom commands per guild, command and UTC day (`command_usage`), counted by
 * the bot-side API at each use: the weekly analytics read a week of days, not every
 * command's lifetime total. One document per command and day, keyed by those, so a use
 * is one upsert with `$inc` and no read.
 */
import type { Collection, Db } from 'mongodb';
import { utcDay } from '../analytics/days';
import { COLLECTIONS } from './contract';
import { ensureDeclaredIndexes } from './indexes';

export interface UsageDayDoc {
  /** `<guildId>:<commandId>:<YYYY-MM-DD>`. */
  _id: string;
  guildId: string;
  commandId: string;
  /** The command's name (names never change; a recreated command gets a new id). */
  name: string;
  creatorId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  uses: number;
}

export const usageDayId = (guildId: string, commandId: string, day: string) =>
  `${guildId}:${commandId}:${day}`;

export function usageCollection(db: Db): Collection<UsageDayDoc> {
  return db.collection<UsageDayDoc>(COLLECTIONS.usage);
}

export interface UsageCounter {
  ensureIndexes(): Promise<void>;
  /** Adds one use of the command on the UTC day of `at`. */
  countUse(
    command: { id: string; guildId: string; name: string; creatorId: string },
    at: Date,
  ): Promise<void>;
}

export function createUsageCounter(db: Db): UsageCounter {
  const usage = usageCollection(db);
  return {
    // Declared in indexes.ts, which the database maintenance verifies.
    ensureIndexes: () => ensureDeclaredIndexes(db, ['usage']),
    async countUse(command, at) {
      const day = utcDay(at);
      await usage.updateOne(
        { _id: usageDayId(command.guildId, command.id, day) },
        {
          $inc: { uses: 1 },
          $setOnInsert: {
            guildId: command.guildId,
            commandId: command.id,
            name: command.name,
            creatorId: command.creatorId,
            day,
          },
        },
        { upsert: true },
      );
    },
  };
}
