/**
 * Screenshots of the Temporal Web UI: the workflow list after the demo's runs, and
 * one completed cleanup run's page (its input and result, then its timeline and events).
 */
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { VIEWPORT } from './browser';
import { NAMESPACE, type RunRef } from './temporal-runs';

/** The Web UI's fixed top bar (namespace picker), with a margin. */
const TOP_BAR_PX = 64;
const UI_TIMEOUT_MS = 60_000;

export async function shootWebUi(
  context: BrowserContext,
  webUiUrl: string,
  cleanup: RunRef & { workflowType: string },
  outDir: string,
): Promise<string[]> {
  const page = await context.newPage();
  const workflows = `${webUiUrl}/namespaces/${NAMESPACE}/workflows`;

  await page.goto(workflows);
  await page.getByText(cleanup.workflowId).first().waitFor({ timeout: UI_TIMEOUT_MS });
  const list = path.join(outDir, 'web-ui-workflows.png');
  await page.screenshot({ path: list });

  await page.goto(`${workflows}/${encodeURIComponent(cleanup.workflowId)}/${cleanup.runId}/history`);
  await page.getByText('Completed').first().waitFor({ timeout: UI_TIMEOUT_MS });
  // The timeline and the event rows load after the page's frame.
  await page.waitForLoadState('networkidle');
  const overview = path.join(outDir, 'web-ui-cleanup-run.png');
  await page.screenshot({ path: overview });

  // The page scrolls inside its own container: up to the heading, so the timeline and events fill
  // the shot, then a little back down, out from under the fixed top bar.
  await page.getByRole('heading', { name: 'Event History' }).evaluate((heading) => {
    (heading as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'start' });
  });
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
  await page.mouse.wheel(0, -TOP_BAR_PX);
  await page.waitForTimeout(300);
  const history = path.join(outDir, 'web-ui-cleanup-history.png');
  await page.screenshot({ path: history });
  await page.close();
  return [list, overview, history];
}
