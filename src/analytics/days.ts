/**
 * Usage is counted per UTC calendar day, named `YYYY-MM-DD` (sorts as it reads), and the
 * analytics week is the seven whole days before the run's day: a weekly run reports each
 * day exactly once, and never a day still in progress.
 */
import { DAY_MS } from '../duration';

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The day `days` after (or before, when negative) `day`. */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Midnight UTC at the start of `day`, in epoch milliseconds. */
export function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export interface AnalyticsWeek {
  /** First and last day of the week reported (inclusive). */
  from: string;
  to: string;
  /** The seven days before it, for the change against the previous week. */
  previousFrom: string;
  previousTo: string;
}

/** The week a run at `at` reports: the seven whole UTC days before the run's own day. */
export function analyticsWeek(at: Date | number): AnalyticsWeek {
  const runDay = utcDay(at);
  return {
    from: addDays(runDay, -7),
    to: addDays(runDay, -1),
    previousFrom: addDays(runDay, -14),
    previousTo: addDays(runDay, -8),
  };
}
