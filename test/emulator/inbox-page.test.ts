// The inbox page renders a warning-style embed the way Discord would, in headless Chromium, and
// shows hostile text as text; attachments show as Discord's client shows them; the product's
// real messages (sent by its gateway) show their markdown rendered, in the reader's locale.
import { EmbedBuilder, Routes, type APIChannel } from 'discord.js';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeletionMessages,
  buildSummaryMessages,
  buildWarningMessages,
  createDiscordGateway,
} from '../../src/discord';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { PNG_1X1, restFor } from './helpers';

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
    emulator = await startDiscordEmulator();
    browser = await launchChromium();
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

  it("renders the markdown of the product's warning DM, deletion DM and admin summary", async () => {
    emulator.control.reset();
    const discord = createDiscordGateway({ token: emulator.token, apiUrl: emulator.apiUrl });
    const deletionDate = new Date('2026-11-30T10:23:33Z');
    const warning = buildWarningMessages({
      guildName: DEMO_GUILD_NAME,
      commands: [
        { name: 'greet', daysUnused: 90, deletionDate },
        { name: 'rules', daysUnused: 120, deletionDate },
      ],
    });
    const deletion = buildDeletionMessages({
      guildName: DEMO_GUILD_NAME,
      policySentence: 'Commands unused for 90 days are deleted 30 days after a warning.',
      commands: [
        {
          name: 'greet',
          content: 'Hello {user}! <script>window.__xss=3</script>',
          useCount: 4,
          createdAt: new Date('2025-01-15T08:00:00Z'),
          lastUsedAt: new Date('2025-06-01T12:00:00Z'),
        },
      ],
    });
    const summary = buildSummaryMessages({
      guildName: DEMO_GUILD_NAME,
      dryRun: false,
      warnedCreators: 2,
      warnedCommands: 3,
      deletedCommands: 1,
      failedDeliveries: [{ creatorId: DEMO_MEMBERS.dave, phase: 'warning', reason: 'dms-closed' }],
      stats: { activeCommands: 40, creators: 12, pendingDeletions: 3 },
      durationMs: 4200,
      nextRunAt: new Date('2026-12-01T03:00:00Z'),
      skippedInvalidDocuments: 0,
    });
    expect(await discord.sendDirectMessage(DEMO_MEMBERS.carol, warning, 'inbox-warning')).toMatchObject({
      status: 'sent',
    });
    expect(await discord.sendDirectMessage(DEMO_MEMBERS.frank, deletion, 'inbox-deletion')).toMatchObject({
      status: 'sent',
    });
    await discord.postToChannel(DEMO_CHANNELS.admin, summary, 'inbox-summary');
    await discord.postToChannel(
      DEMO_CHANNELS.admin,
      [
        {
          content: 'Idle commands by week, for <@&1196423550861443075> in <#1196423559250051077>',
          files: [{ name: 'idle-chart.png', contentType: 'image/png', data: PNG_1X1 }],
        },
      ],
      'inbox-chart',
    );

    const open = async (locale: string): Promise<Page> => {
      const page = await browser.newPage({ locale, timezoneId: 'UTC' });
      await page.goto(emulator.url + '/');
      await page.locator('.attachments img').waitFor({ state: 'visible', timeout: 10_000 });
      return page;
    };
    const page = await open('en-US');
    try {
      const text = await page.locator('#inbox').innerText();
      for (const raw of ['<t:', '<@', '<#', '**']) expect(text).not.toContain(raw);
      const sections = page.locator('section.conversation');
      await expect(sections.allInnerTexts()).resolves.toHaveLength(3);
      // The guild name in bold in each of the three messages (admin channel, Carol, Frank).
      for (const section of await sections.all()) {
        await expect(section.locator('.e-description strong').first().innerText()).resolves.toBe(
          DEMO_GUILD_NAME,
        );
      }
      // Timestamps as dates in the reader's locale, the full date as a tooltip.
      const dates = await page.locator('time.md-timestamp').allInnerTexts();
      expect(dates).toContain('November 30, 2026'); // warning: <t:…:D>
      expect(dates).toContain('January 15, 2025'); // deletion: created <t:…:D>
      expect(dates).toContain('December 1, 2026 at 3:00 AM'); // summary: next run <t:…:f>
      await expect(page.locator('time.md-timestamp').first().getAttribute('title')).resolves.toMatch(
        /^\w+day, /,
      );
      // Mentions as names; inline code; the command's content in a code block, as text.
      const mentions = await page.locator('.md-mention').allInnerTexts();
      expect(mentions).toEqual(expect.arrayContaining(['@Dave (DMs closed)', '@Moderator', '#admin']));
      await expect(page.locator('code.md-code', { hasText: '/cc-mine' }).count()).resolves.toBe(1);
      await expect(page.locator('.md-codeblock').innerText()).resolves.toBe(
        'Hello {user}! <script>window.__xss=3</script>',
      );
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__xss)).toBeUndefined();
      // The chart inline, loaded.
      await page.waitForFunction(
        "[...document.querySelectorAll('.attachments img')].every((i) => i.alt === 'idle-chart.png' && i.complete && i.naturalWidth === 1)",
        undefined,
        { timeout: 10_000 },
      );
    } finally {
      await page.close();
    }
    // Another reader, another locale.
    const german = await open('de-DE');
    try {
      const dates = await german.locator('time.md-timestamp').allInnerTexts();
      expect(dates).toContain('30. November 2026');
    } finally {
      await german.close();
    }
  });
});
