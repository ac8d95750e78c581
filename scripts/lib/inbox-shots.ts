/** Screenshots of the emulator's inbox page: the page as it opens, one DM conversation, the admin channel. */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_CHANNELS } from '../../src/emulator';

// The tsconfig has no DOM lib: the little of the DOM the page checks use.
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<{ complete?: boolean; naturalWidth?: number }> };
}

/** Conversations are grid cells of one row's height: each shot is cut to its own messages. */
const FIT_CONTENT = 'section.conversation { align-self: start; }';

export async function shootInbox(
  context: BrowserContext,
  inboxUrl: string,
  messageCount: number,
  outDir: string,
): Promise<string[]> {
  const page = await context.newPage();
  await page.goto(`${inboxUrl}/`);
  await waitUntilRendered(page, messageCount);
  await page.addStyleTag({ content: FIT_CONTENT });

  const files: string[] = [];
  const shoot = async (name: string, take: (file: string) => Promise<unknown>) => {
    const file = path.join(outDir, name);
    await take(file);
    files.push(file);
  };
  await shoot('inbox.png', (file) => page.screenshot({ path: file }));
  // A creator's DMs: the first conversation with a warning in it (deletions follow there too).
  const dm = page.locator('section.conversation[data-key^="dm:"]', { hasText: 'Cleanup Warning' }).first();
  await shoot('inbox-dm.png', (file) => dm.screenshot({ path: file }));
  const admin = page.locator(`section.conversation[data-key="ch:${DEMO_CHANNELS.admin}"]`);
  await shoot('inbox-admin-channel.png', (file) => admin.screenshot({ path: file }));
  await page.close();
  return files;
}

/** Every message drawn and every image (the analytics chart) loaded. */
async function waitUntilRendered(page: Page, messageCount: number): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const { document } = globalThis as unknown as PageGlobals;
      const images = Array.from(document.querySelectorAll('section.conversation img'));
      return (
        document.querySelectorAll('section.conversation .message').length >= count &&
        images.every((image) => image.complete && (image.naturalWidth ?? 0) > 0)
      );
    },
    messageCount,
    { timeout: 30_000 },
  );
}
