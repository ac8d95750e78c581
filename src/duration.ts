/** Durations as operators write them: '30 days', '12h', '5s', '250ms' (the `ms` package's forms). */
import ms from 'ms';

/** Milliseconds, or undefined when `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  // A bare number would be read as milliseconds: too easy to mistake for days.
  if (trimmed === '' || /^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const value = ms(trimmed as ms.StringValue) as number | undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A short human form: '30 days', '5 seconds'. */
export function formatDuration(milliseconds: number): string {
  return ms(milliseconds, { long: true });
}
