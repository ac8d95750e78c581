// The analytics' pure parts: the week a run reports, who is at risk, how a change reads,
// and the chart's geometry and text (no I/O).
import { describe, expect, it } from 'vitest';
import { analyticsWeek, utcDay } from '../../../src/analytics/days';
import { CHART, chartBars, chartHeight, usageChartSvg } from '../../../src/analytics/chart-svg';
import { atRiskIdleBefore, formatChange } from '../../../src/analytics/policy';
import { DAY_MS } from '../../../src/duration';

describe('the analytics week', () => {
  it('is the seven whole UTC days before the run, and the seven before those', () => {
    expect(analyticsWeek(Date.parse('2026-06-08T06:00:00Z'))).toEqual({
      from: '2026-06-01',
      to: '2026-06-07',
      previousFrom: '2026-05-25',
      previousTo: '2026-05-31',
    });
  });

  it('counts a use at 23:59 UTC on its own day, whatever the server time zone', () => {
    expect(utcDay(Date.parse('2026-06-07T23:59:59.999Z'))).toBe('2026-06-07');
    expect(utcDay(Date.parse('2026-06-08T00:00:00Z'))).toBe('2026-06-08');
  });
});

describe('at risk', () => {
  it('means idle long enough to be warned within the next 7 days', () => {
    const at = Date.parse('2026-06-08T06:00:00Z');
    expect(atRiskIdleBefore(at, 60 * DAY_MS)).toBe(at - 53 * DAY_MS);
  });
});

describe('the change against the previous week', () => {
  it.each([
    [15, 10, '+5 (+50%)'],
    [5, 10, '-5 (-50%)'],
    [4, 0, '+4 (new)'],
    [7, 7, '±0'],
    [0, 3, '-3 (-100%)'],
  ])('%i after %i reads %s', (week, previous, text) => {
    expect(formatChange(week, previous)).toBe(text);
  });
});

describe('the chart', () => {
  const top = [
    { name: 'hello', uses: 40 },
    { name: 'welcome', uses: 10 },
    { name: 'lfg', uses: 1 },
  ];

  it('draws one bar per command, most used first, widths in proportion to uses', () => {
    const bars = chartBars(top);
    expect(bars.map((b) => b.width)).toEqual([
      CHART.barMaxWidth,
      CHART.barMaxWidth / 4,
      CHART.barMaxWidth / 40,
    ]);
    expect(bars.map((b) => b.y)).toEqual([...bars.map((b) => b.y)].sort((a, b) => a - b));
    const svg = usageChartSvg({ title: 'Most used', commands: top });
    const widths = [...svg.matchAll(/<rect class="bar"[^>]* width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual(bars.map((b) => b.width));
    const labels = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['hello', 'welcome', 'lfg']);
    expect(svg).toContain(`height="${chartHeight(3)}"`);
  });

  it('shows hostile names as text, and says so when nothing was used', () => {
    const svg = usageChartSvg({ title: 'Most used', commands: [{ name: '<script>&', uses: 2 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;&#38;');
    expect(usageChartSvg({ title: 'Most used', commands: [] })).toContain('No command was used this week');
  });
});
