/**
 * SVG to PNG on the server with resvg (a prebuilt binary from npm: no browser, nothing
 * downloaded at install). Text is drawn with DejaVu Sans from the `dejavu-fonts-ttf`
 * package and never with the machine's fonts: a fresh server may have none, and the
 * chart must look the same everywhere.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { CHART } from './chart-svg';

const require = createRequire(import.meta.url);
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: CHART.font },
  });
  return resvg.render().asPng();
}
