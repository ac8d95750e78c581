/**
 * `npm run screenshots [-- --with-deletions]`: the README's pictures of what a user
 * sees. Runs `npm start` on free ports with its own data (nothing already running is
 * touched), waits until the inbox holds the warnings, the admin summary, the usage
 * chart and the health notice (with --with-deletions also the deletion DMs, which
 * follow after the demo's 2-minute grace period), photographs the inbox and the
 * Temporal Web UI in headless Chromium into docs/screenshots/, and stops everything
 * it started, also on failure and Ctrl-C.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/local/paths';
import { checkBrowser, launchBrowser } from './lib/browser';
import { startDemo, type DemoProcess } from './lib/demo-process';
import {
  ANALYTICS_CHART,
  DELETIONS,
  HEALTH,
  inboxMessages,
  SUMMARY,
  WARNINGS,
  waitForInbox,
} from './lib/inbox-progress';
import { shootInbox } from './lib/inbox-shots';
import { shootWebUi } from './lib/web-ui-shots';
import { completedRun, noneRunning, withTemporal } from './lib/temporal-runs';
import { customCommandCleanupTask } from '../src/tasks/custom-command-cleanup';

/** The workflow that waits out one creator's grace period and sends the deletion DM. */
const GRACE_WORKFLOW_TYPE = 'customCommandGrace';

/** A first run builds the Temporal CLI and FerretDB (minutes on empty Go caches). */
const READY_TIMEOUT_MS = 15 * 60_000;
/** The first runs' messages come within a minute; the deletions after the 2-minute grace period. */
const FIRST_MESSAGES_TIMEOUT_MS = 3 * 60_000;
const DELETIONS_TIMEOUT_MS = 5 * 60_000;

const say = (line: string) => console.log(line);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'with-deletions': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(projectRoot, 'docs', 'screenshots') },
    },
  });
  const outDir = path.resolve(values.out);
  await mkdir(outDir, { recursive: true });
  checkBrowser(say);

  const demo = await startDemo(say);
  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) return;
    stopRequested = true;
    say('Interrupted: stopping what was started...');
    void demo.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await withTimeout(demo.ready, READY_TIMEOUT_MS, `npm start was not ready; see ${demo.logFile}`);
    say(`Demo ready: inbox ${demo.inboxUrl}/, Web UI ${demo.webUiUrl}`);
    await capture(demo, outDir, values['with-deletions']);
  } catch (error) {
    say(`The demo's output: ${demo.logFile}`);
    throw error;
  } finally {
    if (!stopRequested) await demo.stop();
  }
}

async function capture(demo: DemoProcess, outDir: string, withDeletions: boolean): Promise<void> {
  say('Waiting for the first runs to reach the inbox...');
  const firstRuns = [WARNINGS, SUMMARY, ANALYTICS_CHART, HEALTH];
  await waitForInbox(demo.inboxUrl, firstRuns, { timeoutMs: FIRST_MESSAGES_TIMEOUT_MS, log: say });
  const cleanup = await withTemporal(demo.temporalAddress, async (client) => {
    if (withDeletions) {
      say('Waiting for the deletion DMs (the demo grace period is 2 minutes)...');
      await waitForInbox(demo.inboxUrl, [DELETIONS], { timeoutMs: DELETIONS_TIMEOUT_MS, log: say });
      await noneRunning(client, GRACE_WORKFLOW_TYPE, DELETIONS_TIMEOUT_MS);
    }
    const { workflowType } = customCommandCleanupTask;
    return { workflowType, ...(await completedRun(client, workflowType, FIRST_MESSAGES_TIMEOUT_MS)) };
  });
  const messages = await inboxMessages(demo.inboxUrl);

  const { browser, context } = await launchBrowser();
  try {
    const files = [
      ...(await shootInbox(context, demo.inboxUrl, messages.length, outDir)),
      ...(await shootWebUi(context, demo.webUiUrl, cleanup, outDir)),
    ];
    for (const file of files)
      say(`  wrote ${path.relative(process.cwd(), file)} (${Math.round((await stat(file)).size / 1024)} KB)`);
  } finally {
    await browser.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${ms / 1000} s)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
