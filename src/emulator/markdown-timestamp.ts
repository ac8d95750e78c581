// Discord's timestamp markup `<t:unix>` / `<t:unix:STYLE>` as text, the way the Discord client
// shows it: in the reader's locale and time zone (the browser's Intl APIs; tests pass a fixed
// locale and zone). The styles are Discord's documented ones, with the client's Intl options:
//
//   t  short time       4:20 PM                       T  long time   4:20:30 PM
//   d  short date       04/20/2021                    D  long date   April 20, 2021
//   f  date and time    April 20, 2021 at 4:20 PM     (the default when no style is given)
//   F  with weekday     Tuesday, April 20, 2021 at 4:20 PM
//   R  relative         in 2 months, 3 days ago, yesterday (Intl.RelativeTimeFormat, numeric: auto)
//
// The tooltip (`title`) is the F form, as the client's hover. A time outside what Date can hold
// gives null: the caller then shows the markup as text, as Discord does.
//
// These functions are also shipped to the inbox page as their own source (markdown-browser.ts):
// they may use only their arguments, each other and JavaScript built-ins.

export interface TimestampOptions {
  /** Now, in ms since the epoch, for the relative style. */
  now: number;
  /** A BCP 47 locale; undefined is the runtime's (the reader's, in a browser). */
  locale?: string;
  /** An IANA zone; undefined is the runtime's. */
  timeZone?: string;
}

export interface TimestampText {
  text: string;
  /** The full date and time, for a tooltip. */
  title: string;
  /** The instant in ISO 8601, for `<time datetime>`. */
  iso: string;
}

export function formatTimestamp(
  unixSeconds: number,
  style: string | undefined,
  options: TimestampOptions,
): TimestampText | null {
  const ms = unixSeconds * 1000;
  // Date holds ±8.64e15 ms.
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const date = new Date(ms);
  const format = (intl: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(options.locale, { ...intl, timeZone: options.timeZone }).format(date);
  const text =
    style === 'R' ? relativeTime((ms - options.now) / 1000, options.locale) : format(timestampFormat(style));
  return { text, title: format(timestampFormat('F')), iso: date.toISOString() };
}

/** The Intl options of a style; anything but t, T, d, D, F (and R) is f. */
export function timestampFormat(style: string | undefined): Intl.DateTimeFormatOptions {
  const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  const longDate: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };
  switch (style) {
    case 't':
      return time;
    case 'T':
      return { ...time, second: '2-digit' };
    case 'd':
      return { year: 'numeric', month: '2-digit', day: '2-digit' };
    case 'D':
      return longDate;
    case 'F':
      return { weekday: 'long', ...longDate, ...time };
    default:
      return { ...longDate, ...time };
  }
}

/**
 * "in 3 days", "2 hours ago", "yesterday": the largest unit that reads well, with moment.js's
 * thresholds (which Discord's client uses): under 45 s in seconds, under 45 min in minutes,
 * under 22 h in hours, under 26 days in days, then months until they round to 11, then years.
 */
export function relativeTime(seconds: number, locale: string | undefined): string {
  const abs = Math.abs(seconds);
  const day = 86_400;
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 45
      ? [seconds, 'second']
      : abs < 45 * 60
        ? [seconds / 60, 'minute']
        : abs < 22 * 3600
          ? [seconds / 3600, 'hour']
          : abs < 26 * day
            ? [seconds / day, 'day']
            : abs < 320 * day
              ? [seconds / (30.4375 * day), 'month']
              : [seconds / (365.25 * day), 'year'];
  // Math.round(-0.4) is -0, which Intl reads as "now" too; + 0 makes it plain 0.
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(value) + 0, unit);
}

/** What the inbox page ships of this module (see markdown-browser.ts). */
export const TIMESTAMP_FUNCTIONS = [formatTimestamp, timestampFormat, relativeTime];
