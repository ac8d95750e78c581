/** What the weekly usage analytics show, and who counts as at risk. */
import { DAY_MS } from '../duration';

/** Bars in the chart and lines of the top list. */
export const TOP_COMMANDS = 10;
export const LEAST_COMMANDS = 5;
/** Names listed under never used, at risk and pending (the counts are complete). */
export const LISTED_NAMES = 10;
/** How far ahead a warning counts as coming. */
export const AT_RISK_WITHIN_MS = 7 * DAY_MS;

/**
 * Commands idle (no use, no edit) since at or before this instant and not warned are at
 * risk: their warning falls due within the next week. Those already past the warning
 * threshold count too: the next cleanup run warns them, within the week as well.
 */
export function atRiskIdleBefore(at: number, warnAfterMs: number): number {
  return at - warnAfterMs + AT_RISK_WITHIN_MS;
}

/** The change from the previous week as people read it: `+12 (+50%)`, `-3 (-20%)`, `+4 (new)`, `±0`. */
export function formatChange(week: number, previousWeek: number): string {
  const delta = week - previousWeek;
  if (delta === 0) return '±0';
  const sign = delta > 0 ? '+' : '-';
  const relative =
    previousWeek === 0 ? 'new' : `${sign}${Math.round((Math.abs(delta) / previousWeek) * 100)}%`;
  return `${sign}${Math.abs(delta)} (${relative})`;
}
