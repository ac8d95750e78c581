/** Durations as operators write them: '30 days', '12h', '5s', '250ms' (the `ms` package's forms). */
import ms from 'ms';

// Fixed lengths in milliseconds (a UTC day: no daylight saving). Safe in workflow code:
// this module has no Node imports.
export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Milliseconds, or undefined when `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  // A bare number would be read as milliseconds: too easy to mistake for days.
  if (trimmed === '' || /^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = ms(trimmed as ms.StringValue) as number | undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A short human form: '30 days', '5 seconds'. */
export function formatDurationInWords(milliseconds: number): string {
  return ms(milliseconds, { long: true });
}
