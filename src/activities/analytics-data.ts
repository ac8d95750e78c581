/**
 * The usage analytics' main-queue activity: one guild's week read from MongoDB, as
 * numbers and command names (what the workflow history may hold).
 */
import type { Db } from 'mongodb';
import { analyticsWeek, startOfDay } from '../analytics/days';
import type { CommandUses, UsageAnalytics } from '../analytics/model';
import { atRiskIdleBefore, LEAST_COMMANDS, LISTED_NAMES, TOP_COMMANDS } from '../analytics/policy';
import { createUsageCounter } from '../db/usage-counter';
import { createUsageStats, type UsageStats } from '../db/usage-stats';
import { heartbeating } from './bounded';
import { DAY_MS } from '../duration';

export interface ComputeUsageAnalyticsInput {
  guildId: string;
  /** The guild's cleanup threshold: who is at risk depends on it. */
  warnAfterMs: number;
  /** The run's time (epoch ms): the week reported is the seven whole UTC days before its day. */
  at: number;
}

export async function computeUsageAnalytics(
  stats: UsageStats,
  { guildId, warnAfterMs, at }: ComputeUsageAnalyticsInput,
): Promise<UsageAnalytics> {
  const week = analyticsWeek(at);
  const thisWeek = { from: week.from, to: week.to };
  const previousWeek = { from: week.previousFrom, to: week.previousTo };
  const weekStart = new Date(startOfDay(week.from));
  const weekEnd = new Date(weekStart.getTime() + 7 * DAY_MS);
  const previousWeekStart = new Date(weekStart.getTime() - 7 * DAY_MS);
  const atRiskBefore = new Date(atRiskIdleBefore(at, warnAfterMs));

  const used = await stats.usesByName(guildId, thisWeek);
  const top = used.slice(0, TOP_COMMANDS);
  const counts = await stats.commandCounts(guildId, atRiskBefore);
  const idle = await stats.idleSince(guildId, weekStart, LEAST_COMMANDS);
  const atRisk = await stats.atRiskCommands(guildId, atRiskBefore, LISTED_NAMES);
  const pending = await stats.pendingDeletions(guildId, LISTED_NAMES);

  return {
    guildId,
    at,
    week,
    uses: {
      week: used.reduce((sum, c) => sum + c.uses, 0),
      previousWeek: await stats.totalUses(guildId, previousWeek),
    },
    created: {
      week: await stats.createdBetween(guildId, weekStart, weekEnd),
      previousWeek: await stats.createdBetween(guildId, previousWeekStart, weekStart),
    },
    commands: {
      total: counts.total,
      usedThisWeek: used.length,
      neverUsed: counts.neverUsed,
      atRisk: counts.atRisk,
      pendingDeletions: counts.pendingDeletions,
    },
    creators: { total: counts.creators, activeThisWeek: await stats.activeCreators(guildId, thisWeek) },
    top,
    least: leastUsed(idle, used),
    neverUsedNames: await stats.neverUsedNames(guildId, LISTED_NAMES),
    atRiskNames: atRisk.map((c) => ({ name: c.name, at: c.idleSince + warnAfterMs })),
    pendingNames: pending.map((c) => ({ name: c.name, at: c.deleteAfter })),
  };
}

/** The least used: commands idle all week (longest idle first), then the week's fewest uses. */
function leastUsed(idle: string[], used: CommandUses[]): CommandUses[] {
  return [...idle.map((name) => ({ name, uses: 0 })), ...[...used].reverse()].slice(0, LEAST_COMMANDS);
}

export async function createAnalyticsDataActivities(deps: { db: Db }) {
  await createUsageCounter(deps.db).ensureIndexes();
  const stats = createUsageStats(deps.db);
  return heartbeating({
    computeUsageAnalytics: (input: ComputeUsageAnalyticsInput) => computeUsageAnalytics(stats, input),
  });
}

export type AnalyticsDataActivities = Awaited<ReturnType<typeof createAnalyticsDataActivities>>;
