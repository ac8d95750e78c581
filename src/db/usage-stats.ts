/**
 * The queries behind the weekly usage analytics: a week of `command_usage` days, and
 * counts and a few names from `custom_commands`. Each is one statement that works on
 * MongoDB and on FerretDB 1.24 (`$group` with `$sum` only, plain sorts). Distinct values
 * and sums by name are counted in the worker (distinct-values.ts says why).
 */
import type { Db, Filter } from 'mongodb';
import type { CommandUses } from '../analytics/model';
import { COLLECTIONS, type CustomCommandDoc } from './contract';
import { scanDistinct } from './distinct-values';
import { usageCollection } from './usage-counter';

/** A day range, inclusive, as `YYYY-MM-DD`. */
export interface DayRange {
  from: string;
  to: string;
}

export interface CommandCounts {
  total: number;
  neverUsed: number;
  atRisk: number;
  pendingDeletions: number;
  creators: number;
}

export function createUsageStats(db: Db) {
  const usage = usageCollection(db);
  const commands = db.collection<CustomCommandDoc>(COLLECTIONS.commands);
  const inRange = (guildId: string, days: DayRange) => ({ guildId, day: { $gte: days.from, $lte: days.to } });
  const atRisk = (guildId: string, idleBefore: Date): Filter<CustomCommandDoc> => ({
    guildId,
    cleanup: { $exists: false },
    lastUsedAt: { $lte: idleBefore },
    updatedAt: { $lte: idleBefore },
  });
  const names = async (filter: Filter<CustomCommandDoc>, sort: Record<string, 1>, limit: number) =>
    commands
      .find(filter, { projection: { name: 1, lastUsedAt: 1, updatedAt: 1, cleanup: 1 } })
      .sort({ ...sort, _id: 1 })
      .limit(limit)
      .toArray();

  return {
    /** Uses of each command name in the days, most used first (a recreated command keeps its name). */
    async usesByName(guildId: string, days: DayRange): Promise<CommandUses[]> {
      // Summed here, not by $group: see distinct-values.ts (a week of a busy guild's names).
      const byName = new Map<string, number>();
      const entries = usage.find(inRange(guildId, days), { projection: { _id: 0, name: 1, uses: 1 } });
      for await (const { name, uses } of entries) {
        if (typeof uses === 'number') byName.set(String(name), (byName.get(String(name)) ?? 0) + uses);
      }
      return [...byName]
        .map(([name, uses]) => ({ name, uses }))
        .filter((g) => g.uses > 0)
        .sort((a, b) => b.uses - a.uses || a.name.localeCompare(b.name));
    },

    async totalUses(guildId: string, days: DayRange): Promise<number> {
      const [total] = await usage
        .aggregate<{ uses: number }>([
          { $match: inRange(guildId, days) },
          { $group: { _id: null, uses: { $sum: '$uses' } } },
        ])
        .toArray();
      return total?.uses ?? 0;
    },

    /** Creators with a command used in the days. */
    async activeCreators(guildId: string, days: DayRange): Promise<number> {
      return (await scanDistinct(usage, inRange(guildId, days), 'creatorId')).values.size;
    },

    async createdBetween(guildId: string, from: Date, before: Date): Promise<number> {
      return commands.countDocuments({ guildId, createdAt: { $gte: from, $lt: before } });
    },

    async commandCounts(guildId: string, atRiskIdleBefore: Date): Promise<CommandCounts> {
      // One at a time: several statements at once gain little on FerretDB and load it more.
      // The guild's commands and their creators come from one read.
      const { documents: total, values: creatorIds } = await scanDistinct(commands, { guildId }, 'creatorId');
      const neverUsed = await commands.countDocuments({ guildId, useCount: 0 });
      const atRiskCount = await commands.countDocuments(atRisk(guildId, atRiskIdleBefore));
      const pendingDeletions = await commands.countDocuments({ guildId, cleanup: { $exists: true } });
      return { total, neverUsed, atRisk: atRiskCount, pendingDeletions, creators: creatorIds.size };
    },

    async neverUsedNames(guildId: string, limit: number): Promise<string[]> {
      const found = await names({ guildId, useCount: 0 }, { createdAt: 1 }, limit);
      return found.map((c) => String(c.name));
    },

    /** At-risk commands, longest idle first, with the instant their idleness began. */
    async atRiskCommands(guildId: string, idleBefore: Date, limit: number) {
      const found = await names(atRisk(guildId, idleBefore), { lastUsedAt: 1 }, limit);
      return found.map((c) => ({
        name: String(c.name),
        idleSince: Math.max(new Date(c.lastUsedAt).getTime(), new Date(c.updatedAt).getTime()),
      }));
    },

    /** Warned commands, soonest deadline first. */
    async pendingDeletions(guildId: string, limit: number) {
      const found = await names({ guildId, cleanup: { $exists: true } }, { 'cleanup.deleteAfter': 1 }, limit);
      return found.map((c) => ({
        name: String(c.name),
        deleteAfter: new Date(c.cleanup!.deleteAfter).getTime(),
      }));
    },

    /** Commands used at least once ever but not since `before`, longest idle first. */
    async idleSince(guildId: string, before: Date, limit: number): Promise<string[]> {
      const found = await names(
        { guildId, useCount: { $gt: 0 }, lastUsedAt: { $lt: before } },
        { lastUsedAt: 1 },
        limit,
      );
      return found.map((c) => String(c.name));
    },
  };
}

export type UsageStats = ReturnType<typeof createUsageStats>;
