// Unit tests of Discord timestamps as text: every style, the reader's locale and zone, relative times.
import { describe, expect, it } from 'vitest';
import { formatTimestamp, relativeTime } from '../../src/emulator/markdown-timestamp';

const UNIX = Date.UTC(2021, 3, 20, 16, 20, 30) / 1000; // Tuesday 20 April 2021, 16:20:30 UTC
const at = (style: string | undefined, locale: string, timeZone = 'UTC') =>
  formatTimestamp(UNIX, style, { now: UNIX * 1000, locale, timeZone })?.text;

describe('formatTimestamp', () => {
  it("shows Discord's styles in the reader's locale", () => {
    expect(['t', 'T', 'd', 'D', 'f', 'F'].map((style) => at(style, 'en-GB'))).toEqual([
      '16:20',
      '16:20:30',
      '20/04/2021',
      '20 April 2021',
      '20 April 2021 at 16:20',
      'Tuesday, 20 April 2021 at 16:20',
    ]);
    expect(at('D', 'de-DE')).toBe('20. April 2021');
    expect(at('t', 'en-US')).toBe('4:20 PM');
    expect(at(undefined, 'en-US')).toBe(at('f', 'en-US'));
  });

  it("in the reader's time zone", () => {
    expect(at('f', 'en-GB', 'Asia/Tokyo')).toBe('21 April 2021 at 1:20');
  });

  it('gives the full date as a title and the instant in ISO', () => {
    const shown = formatTimestamp(UNIX, 'R', { now: 0, locale: 'en-US', timeZone: 'UTC' });
    expect(shown).toMatchObject({
      title: 'Tuesday, April 20, 2021 at 4:20 PM',
      iso: '2021-04-20T16:20:30.000Z',
    });
  });

  it('refuses times Date cannot hold', () => {
    expect(formatTimestamp(9e15, 'f', { now: 0 })).toBeNull();
    expect(formatTimestamp(-8.64e12, 'f', { now: 0, locale: 'en-US', timeZone: 'UTC' })?.iso).toBe(
      '-271821-04-20T00:00:00.000Z',
    );
  });
});

describe('relativeTime', () => {
  const minute = 60;
  const hour = 3600;
  const day = 86_400;
  it('picks the unit as the client does', () => {
    const cases: [number, string][] = [
      [0, 'now'],
      [-10, '10 seconds ago'],
      [50, 'in 1 minute'],
      [-44 * minute, '44 minutes ago'],
      [3 * hour, 'in 3 hours'],
      [-day, 'yesterday'],
      [25 * day, 'in 25 days'],
      [-61 * day, '2 months ago'],
      [400 * day, 'next year'],
      [-3 * 365 * day, '3 years ago'],
    ];
    for (const [seconds, text] of cases) expect(relativeTime(seconds, 'en-US')).toBe(text);
  });
});
