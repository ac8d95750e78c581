// The chart PNG drawn by resvg with the bundled DejaVu font, with no system font and no
// browser: a real PNG of the chart's size, the bars where the SVG puts them, names drawn.
import { describe, expect, it } from 'vitest';
import { renderPng } from '../../../src/analytics/chart-png';
import { CHART, chartBars, chartHeight, usageChartSvg } from '../../../src/analytics/chart-svg';
import { expectBarsDrawn, hex, pngPixels, pngSize } from './png';

describe('the chart PNG', () => {
  const top = [
    { name: 'hello', uses: 12 },
    { name: 'welcome', uses: 6 },
    { name: 'raid-times', uses: 2 },
  ];

  it('is a PNG of the chart size with each bar drawn to its length and its name beside it', () => {
    const png = renderPng(usageChartSvg({ title: 'Most used commands', commands: top }));
    expect(pngSize(png)).toEqual({ width: CHART.width, height: chartHeight(3) });
    const pixels = pngPixels(png);
    expect(() => expectBarsDrawn(pixels, chartBars(top))).not.toThrow();
    // The background everywhere else, e.g. the bottom-right corner.
    expect(hex(pixels.at(CHART.width - 2, chartHeight(3) - 2))).toBe(CHART.colors.background);
  });

  it('draws text with the bundled font: the title is not blank', () => {
    const pixels = pngPixels(renderPng(usageChartSvg({ title: 'Most used commands', commands: [] })));
    let inked = 0;
    for (let x = 24; x < 300; x++) if (hex(pixels.at(x, 32)) !== CHART.colors.background) inked++;
    expect(inked).toBeGreaterThan(20);
  });
});
