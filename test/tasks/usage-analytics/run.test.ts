/**
 * `starter run usage-analytics` end to end on the real servers: the bot-side API counts
 * uses, the workflow runs on the dev server with every task's workers as production
 * wires them, and the admin channel of the Discord emulator gets one embed showing the
 * chart PNG uploaded with it; the inbox page shows that image in headless Chromium.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageAnalyticsResult } from '../../../src/workflows/usage-analytics';
import { CHART, chartBars, chartHeight, usageChartSvg } from '../../../src/analytics/chart-svg';
import { createCustomCommandsApi } from '../../../src/commands/api';
import { createCommandStore } from '../../../src/db';
import { createUsageCounter } from '../../../src/db/usage-counter';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';
import { cli } from '../../starter/cli';
import { launchChromium } from '../../helpers/chromium';
import { expectBarsDrawn, pngPixels, pngSize } from './png';
import { DAY_MS } from '../../../src/duration';

const SECRET = 'SECRET-REPLY';

interface PostedMessage {
  embeds: { title?: string; image?: { url: string }; fields?: { name: string; value: string }[] }[];
  attachments: { filename: string; content_type: string; size: number; url: string }[];
}

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
let result: UsageAnalyticsResult & { workflowId: string };
let posted: PostedMessage[];

beforeAll(async () => {
  [env, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('usage_run'),
    startDiscordEmulator(),
  ]);
  // Uses two and three days ago: inside the week a run today reports.
  const clock = { now: new Date(Date.now() - 10 * DAY_MS) };
  const api = createCustomCommandsApi({
    store: createCommandStore(database.db),
    temporal: env.client,
    usage: createUsageCounter(database.db),
    now: () => clock.now,
  });
  const uses: [string, number][] = [
    ['welcome', 3],
    ['hello', 6],
    ['lfg', 1],
    ['never', 0],
  ];
  for (const [name] of uses) {
    await api.create({
      guildId: DEMO_GUILD_ID,
      name,
      content: `${SECRET} ${name}`,
      creatorId: DEMO_MEMBERS.alice,
    });
  }
  for (const [name, count] of uses) {
    for (let i = 0; i < count; i++) {
      clock.now = new Date(Date.now() - (2 + (i % 2)) * DAY_MS);
      await api.recordUse(DEMO_GUILD_ID, name);
    }
  }

  workers = await startTaskWorkers({ env, db: database.db, emulator });
  const run = await cli(
    ['run', 'usage-analytics', '--guild', DEMO_GUILD_ID, '--wait', '--json'],
    workers.variables,
  );
  expect(run.err).toEqual([]);
  result = JSON.parse(run.out[0]!) as typeof result;
  const response = await fetch(`${emulator.url}/_emulator/messages?channel_id=${DEMO_CHANNELS.admin}`);
  posted = ((await response.json()) as { messages: PostedMessage[] }).messages;
});

afterAll(async () => {
  await workers?.shutdown();
  await Promise.allSettled([env?.teardown(), database?.drop(), emulator?.close()]);
});

describe('a usage analytics run', () => {
  it('ranks the week’s uses counted by the API and posts one report', () => {
    expect(result.analytics.top).toEqual([
      { name: 'hello', uses: 6 },
      { name: 'welcome', uses: 3 },
      { name: 'lfg', uses: 1 },
    ]);
    expect(result.analytics.commands).toMatchObject({ total: 4, usedThisWeek: 3, neverUsed: 1 });
    expect(result.report).toMatchObject({ status: 'posted', channelId: DEMO_CHANNELS.admin });
    expect(posted).toHaveLength(1);
  });

  it('shows the chart in the embed: attachment://usage.png resolved to the uploaded PNG', async () => {
    const [message] = posted;
    const [embed] = message!.embeds;
    expect(embed!.title).toBe('Weekly custom command usage');
    expect(embed!.fields?.find((f) => f.name === 'Most used')?.value).toBe(
      '1. `hello`: 6\n2. `welcome`: 3\n3. `lfg`: 1',
    );
    expect(message!.attachments).toHaveLength(1);
    const [chart] = message!.attachments;
    expect(chart).toMatchObject({ filename: 'usage.png', content_type: 'image/png' });
    expect(embed!.image?.url).toBe(chart!.url);

    const png = Buffer.from(await (await fetch(chart!.url)).arrayBuffer());
    expect(png.length).toBe(chart!.size);
    expect(pngSize(png)).toEqual({ width: CHART.width, height: chartHeight(3) });
    expect(() => expectBarsDrawn(pngPixels(png), chartBars(result.analytics.top))).not.toThrow();
  });

  it('draws the top commands in order, bars in proportion to their uses', () => {
    const svg = usageChartSvg({ title: 'x', commands: result.analytics.top });
    const labels = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['hello', 'welcome', 'lfg']);
    const widths = [...svg.matchAll(/<rect class="bar"[^>]* width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([CHART.barMaxWidth, CHART.barMaxWidth / 2, Math.round(CHART.barMaxWidth / 6)]);
  });

  it('keeps command contents out of the workflow history', async () => {
    const history = await env.client.workflow.getHandle(result.workflowId).fetchHistory();
    // Payloads are base64-encoded JSON: read them decoded.
    const text = [...JSON.stringify(history).matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)]
      .map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))
      .join('\n');
    expect(text).toContain('welcome');
    expect(text).not.toContain(SECRET);
  });

  it('posts nothing on a dry run, and says so', async () => {
    const run = await cli(
      ['run', 'usage-analytics', '--guild', DEMO_GUILD_ID, '--dry-run', '--wait', '--json'],
      workers.variables,
    );
    const dry = JSON.parse(run.out[0]!) as UsageAnalyticsResult;
    expect(dry).toMatchObject({ dryRun: true, report: { status: 'skipped', reason: 'dry run' } });
    expect(dry.analytics.top).toEqual(result.analytics.top);
    const response = await fetch(`${emulator.url}/_emulator/messages?channel_id=${DEMO_CHANNELS.admin}`);
    expect(((await response.json()) as { messages: unknown[] }).messages).toHaveLength(1);
  });

  it('shows the chart image, loaded, in the inbox page (headless Chromium)', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(emulator.url + '/');
      await page.locator('.embed .e-image').waitFor({ state: 'visible', timeout: 10_000 });
      // The browser fetched the PNG from the emulator and decoded it at the chart's size.
      await page.waitForFunction(
        `(() => { const i = document.querySelector('.embed .e-image'); return i && i.complete && i.naturalWidth === ${CHART.width} && i.naturalHeight === ${chartHeight(3)}; })()`,
        undefined,
        { timeout: 10_000 },
      );
    } finally {
      await browser.close();
    }
  });
});
