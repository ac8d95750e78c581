/** Reading a PNG back in tests: its signature, its IHDR size, and its pixels (decoded by resvg). */
import { Resvg } from '@resvg/resvg-js';
import { CHART, type ChartBar } from '../../../src/analytics/chart-svg';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first; throws when it is no PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR is not the first chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface Pixels {
  width: number;
  at(x: number, y: number): [number, number, number];
}

/** Decodes the PNG by drawing it, unscaled, as the only thing in an SVG of its size. */
export function pngPixels(png: Buffer): Pixels {
  const { width, height } = pngSize(png);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const rgba = new Resvg(svg, { font: { loadSystemFonts: false } }).render().pixels;
  return {
    width,
    at: (x, y) => {
      const i = (Math.round(y) * width + Math.round(x)) * 4;
      return [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
    },
  };
}

export const hex = ([r, g, b]: [number, number, number]) =>
  `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * Checks the picture shows each bar: its colour inside the bar, the background past its
 * end on the track (so lengths differ as the uses do), and text drawn left of it (the
 * name, which needs the bundled font).
 */
export function expectBarsDrawn(pixels: Pixels, bars: ChartBar[]): void {
  for (const bar of bars) {
    const middle = bar.y + bar.height / 2;
    const inside = hex(pixels.at(bar.x + bar.width / 2, middle));
    if (inside !== CHART.colors.bar)
      throw new Error(`bar of ${bar.name}: ${inside} inside, not ${CHART.colors.bar}`);
    const pastEnd = bar.x + bar.width + 60;
    if (pastEnd < bar.x + CHART.barMaxWidth) {
      const after = hex(pixels.at(pastEnd, middle));
      if (after !== CHART.colors.background)
        throw new Error(`bar of ${bar.name} longer than ${bar.width}px: ${after}`);
    }
    let inked = 0;
    for (let x = 16; x < CHART.labelRight; x++) {
      if (hex(pixels.at(x, middle - 3)) !== CHART.colors.background) inked++;
    }
    if (inked === 0) throw new Error(`no label drawn left of the bar of ${bar.name}`);
  }
}
