/**
 * One guild's weekly usage analytics. It passes through workflow histories, so it holds
 * numbers and command names only: no contents, no user ids. Instants are epoch ms.
 */
import type { AnalyticsWeek } from './days';

export interface CommandUses {
  name: string;
  uses: number;
}

export interface NamedDeadline {
  name: string;
  /** When the warning falls due (at risk) or the deletion may happen (pending). */
  at: number;
}

/** A count this week and the week before. */
export interface WeekOverWeek {
  week: number;
  previousWeek: number;
}

export interface UsageAnalytics {
  guildId: string;
  /** When the numbers were read (the run's time). */
  at: number;
  week: AnalyticsWeek;
  uses: WeekOverWeek;
  created: WeekOverWeek;
  commands: {
    total: number;
    /** Commands with at least one use in the week. */
    usedThisWeek: number;
    /** Never used since they were created (use count 0). */
    neverUsed: number;
    /** Not warned yet, and due a warning within the next 7 days. */
    atRisk: number;
    /** Warned, and deleted at their deadline unless used. */
    pendingDeletions: number;
  };
  creators: {
    total: number;
    /** Creators with a command used this week. */
    activeThisWeek: number;
  };
  /** Most used in the week, most first. */
  top: CommandUses[];
  /** Least used among commands used at least once ever: idle this week first, longest idle first. */
  least: CommandUses[];
  /** A few of each, soonest first; the counts above are complete. */
  neverUsedNames: string[];
  atRiskNames: NamedDeadline[];
  pendingNames: NamedDeadline[];
}
