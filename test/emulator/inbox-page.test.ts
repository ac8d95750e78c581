// The inbox page renders a warning-style embed the way Discord would, in headless Chromium, and
// shows hostile text as text; attachments show as Discord's client shows them.
import { existsSync } from 'node:fs';
import { EmbedBuilder, Routes, type APIChannel } from 'discord.js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS, DEMO_MEMBERS, startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { PNG_1X1, restFor } from './helpers';

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

  it('shows image attachments inline, other files as a link with name and size, embed images in the embed', async () => {
    const rest = restFor(emulator);
    await rest.post(Routes.channelMessages(DEMO_CHANNELS.admin), {
      body: {
        content: 'Cleanup summary',
        embeds: [{ title: 'Idle commands', image: { url: 'attachment://chart.png' } }],
      },
      files: [
        { name: 'chart.png', data: PNG_1X1, contentType: 'image/png' },
        { name: 'photo.png', data: PNG_1X1, contentType: 'image/png' },
        { name: 'deleted.txt', data: '!greet\n!rules\n' },
      ],
    });

    const page = await browser.newPage();
    try {
      await page.goto(emulator.url + '/');
      const file = page.locator('.attachment-file');
      await file.waitFor({ state: 'visible', timeout: 10_000 });
      await expect(file.locator('a').innerText()).resolves.toBe('deleted.txt');
      await expect(file.locator('.attachment-size').innerText()).resolves.toBe('14 bytes');
      // The link serves the file's bytes.
      const href = await file.locator('a').getAttribute('href');
      expect(await (await fetch(href!)).text()).toBe('!greet\n!rules\n');
      // photo.png inline; chart.png inside the embed only (not listed again, as in Discord's client).
      await expect(
        page.locator('.attachments img').evaluateAll((els) => els.map((e) => (e as { alt: string }).alt)),
      ).resolves.toEqual(['photo.png']);
      await expect(page.locator('.embed .e-image').count()).resolves.toBe(1);
      // Both images were fetched from the emulator and decoded (a 1x1 PNG).
      await page.waitForFunction(
        "[...document.querySelectorAll('img')].length === 2 && [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth === 1)",
        undefined,
        { timeout: 10_000 },
      );
    } finally {
      await page.close();
    }
  });
});
