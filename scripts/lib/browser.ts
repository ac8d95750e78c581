/**
 * Headless Chromium for the screenshots: the system's (Debian's `chromium`), launched
 * by playwright-core as the inbox page tests launch it, so no browser is downloaded.
 */
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext } from 'playwright-core';
import { assertChromium, launchChromium } from '../../test/helpers/chromium';

/** The screenshots' size: a laptop's window, at 1x so each PNG stays a few hundred KB. */
export const VIEWPORT = { width: 1280, height: 800 };

/** Checked before the demo starts, so a missing browser fails in a second, not after the wait. */
export function checkBrowser(warn: (line: string) => void): void {
  assertChromium();
  // The product's embed titles start with emoji (🧹, ⚠️, 🗑️): without a colour emoji font they are boxes.
  const emoji = spawnSync('fc-list', [':charset=1f9f9'], { encoding: 'utf8' });
  if (emoji.status === 0 && emoji.stdout.trim() === '')
    warn('No emoji font: the titles will show boxes (apt-get install fonts-noto-color-emoji).');
}

export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await launchChromium();
  // A fixed locale and zone: the inbox formats Discord timestamps in the reader's, so the images stay alike.
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
  });
  return { browser, context };
}
