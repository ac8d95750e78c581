// The inbox page renders a warning-style embed the way Discord would, in headless Chromium, and
// shows hostile text as text.
import { existsSync } from 'node:fs';
import { EmbedBuilder, Routes, type APIChannel } from 'discord.js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS, startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { restFor } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The tsconfig has no DOM lib: the little of the DOM these checks use, typed here.
interface PageGlobals {
  getComputedStyle(element: unknown): { borderLeftColor: string };
  __xss?: number;
}
interface Boxed {
  getBoundingClientRect(): { top: number };
}

describe('inbox page', () => {
  let emulator: DiscordEmulator;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    }
    emulator = await startDiscordEmulator();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('draws a sent warning embed: colour bar, title, fields, footer; escapes hostile text', async () => {
    const rest = restFor(emulator);
    const dm = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: DEMO_MEMBERS.erin },
    })) as APIChannel;
    const embed = new EmbedBuilder()
      .setColor(0xffc107)
      .setTitle('Your custom command will be deleted')
      .setDescription('`!greet` has not been used for 90 days.')
      .addFields(
        { name: 'Command', value: '!greet', inline: true },
        { name: 'Deleted on', value: '2024-03-01', inline: true },
        { name: 'Keep it', value: '<img src=x onerror="window.__xss=1">' },
      )
      .setFooter({ text: 'Demo Guild · cleanup' })
      .setTimestamp(new Date('2024-02-01T03:00:00Z'));
    await rest.post(Routes.channelMessages(dm.id), {
      body: {
        content: 'Heads up <script>window.__xss=2</script>',
        embeds: [embed.toJSON()],
        allowed_mentions: { parse: [] },
      },
    });

    const page = await browser.newPage();
    try {
      await page.goto(emulator.url + '/');
      const box = page.locator('.embed').first();
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await expect(box.locator('.e-title').innerText()).resolves.toBe('Your custom command will be deleted');
      const names = await box.locator('.e-field-name').allInnerTexts();
      const values = await box.locator('.e-field-value').allInnerTexts();
      expect(names).toEqual(['Command', 'Deleted on', 'Keep it']);
      expect(values).toEqual(['!greet', '2024-03-01', '<img src=x onerror="window.__xss=1">']);
      await expect(box.locator('.e-footer').innerText()).resolves.toContain('Demo Guild · cleanup');
      await expect(
        box.evaluate(
          (el: unknown) => (globalThis as unknown as PageGlobals).getComputedStyle(el).borderLeftColor,
        ),
      ).resolves.toBe('rgb(255, 193, 7)');
      // Inline fields sit side by side; the non-inline one starts a new row below them.
      const [a, b, c] = await box
        .locator('.e-field')
        .evaluateAll((els: unknown[]) => els.map((el) => (el as Boxed).getBoundingClientRect().top));
      expect(a).toBe(b);
      expect(c).toBeGreaterThan(a ?? Infinity);
      // Grouped as a DM with Erin; hostile text is shown, never executed.
      await expect(page.locator('section.conversation h2').first().innerText()).resolves.toContain('Erin');
      await expect(page.locator('.message .content').first().innerText()).resolves.toContain('<script>');
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__xss)).toBeUndefined();
    } finally {
      await page.close();
    }
  });
});
