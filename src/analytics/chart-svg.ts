/**
 * The usage chart as SVG: one horizontal bar per command, most used first, the name on
 * its left and the uses on its right, bars proportional to uses. Plain SVG, so any
 * renderer draws it; the geometry is exported for the tests that check the picture.
 */
import type { CommandUses } from './model';

export const CHART = {
  width: 800,
  top: 64,
  rowHeight: 36,
  barHeight: 24,
  bottom: 24,
  labelRight: 304,
  barLeft: 320,
  barMaxWidth: 400,
  font: 'DejaVu Sans',
  colors: { background: '#2b2d31', bar: '#5865f2', text: '#dbdee1', muted: '#949ba4' },
} as const;

export interface ChartBar {
  name: string;
  uses: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each bar goes: widths in proportion to uses, the most used filling the track. */
export function chartBars(commands: CommandUses[]): ChartBar[] {
  const most = Math.max(1, ...commands.map((c) => c.uses));
  return commands.map((c, i) => ({
    name: c.name,
    uses: c.uses,
    x: CHART.barLeft,
    y: CHART.top + i * CHART.rowHeight + (CHART.rowHeight - CHART.barHeight) / 2,
    // At least a sliver, so a command with a use or two still shows a bar.
    width: Math.max(2, Math.round((c.uses / most) * CHART.barMaxWidth)),
    height: CHART.barHeight,
  }));
}

export function chartHeight(rows: number): number {
  return CHART.top + Math.max(rows, 1) * CHART.rowHeight + CHART.bottom;
}

/** The bar chart of the week's most used commands, titled with the week. */
export function usageChartSvg(input: { title: string; commands: CommandUses[] }): string {
  const { width, colors, font } = CHART;
  const height = chartHeight(input.commands.length);
  const bars = chartBars(input.commands);
  const rows = bars.map((bar) => {
    const middle = bar.y + bar.height / 2 + 5;
    return [
      `<text x="${CHART.labelRight}" y="${middle}" text-anchor="end" font-size="14" fill="${colors.text}">${xml(shorten(bar.name))}</text>`,
      `<rect class="bar" x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" rx="3" fill="${colors.bar}"/>`,
      `<text x="${bar.x + bar.width + 8}" y="${middle}" font-size="14" fill="${colors.muted}">${bar.uses}</text>`,
    ].join('');
  });
  const empty =
    bars.length === 0
      ? `<text x="${width / 2}" y="${CHART.top + CHART.rowHeight / 2 + 5}" text-anchor="middle" font-size="15" fill="${colors.muted}">No command was used this week</text>`
      : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">`,
    `<rect width="${width}" height="${height}" fill="${colors.background}"/>`,
    `<text x="24" y="38" font-size="20" font-weight="bold" fill="${colors.text}">${xml(input.title)}</text>`,
    ...rows,
    empty,
    '</svg>',
  ].join('');
}

/** Names are at most 32 characters by contract; a document breaking it must not overflow the label. */
function shorten(name: string): string {
  return name.length > 32 ? `${name.slice(0, 31)}…` : name;
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
