/**
 * The worker as `npm run worker` starts it (startWorkers), on the dev server, FerretDB and
 * the Discord emulator: when Discord starts rejecting the token (401), the Discord worker
 * says so once at error level and stops taking work, the main worker keeps running
 * workflows, and the Discord activity that met the 401 waits on the server until a worker
 * with a valid token takes it: nothing is lost, no 401 is repeated.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DISCORD_UNAUTHORIZED_MESSAGE, startWorkers, type RunningWorkers } from '../../src/worker';
import {
  DEMO_BOT_ID,
  DEMO_GUILD_ID,
  demoWorldSeed,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { discordProbe, workflowOnly } from './fixtures/discord-probe-workflows';

const NEW_TOKEN = 'MTE5NjQyMzU0MjQ3MjgzNTA3Mw.rotated.a-new-token-only-the-second-worker-has';
const taskQueue = uniqueTaskQueue('worker-401');
const discordTaskQueue = `${taskQueue}-discord`;

let emulator: DiscordEmulator;
let database: TestDatabase;
let env: TestWorkflowEnvironment;
let workflowBundle: { code: string };
const running: RunningWorkers[] = [];
const logLines: { level: number; msg: string }[] = [];

beforeAll(async () => {
  [emulator, database, env, workflowBundle] = await Promise.all([
    startDiscordEmulator(),
    createTestDatabase('worker_401'),
    createDevServerEnv(),
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/discord-probe-workflows.ts', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    }),
  ]);
});

afterAll(async () => {
  for (const workers of running) workers.shutdown();
  await Promise.allSettled(running.map((workers) => workers.done));
  await Promise.allSettled([emulator?.close(), database?.drop(), env?.teardown()]);
});

async function start(token: string): Promise<RunningWorkers> {
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: inject('mongodbUri'),
    MONGODB_DB: database.db.databaseName,
    DISCORD_TOKEN: token,
    DISCORD_API_URL: emulator.apiUrl,
    GUILD_IDS: DEMO_GUILD_ID,
    TASK_QUEUE: taskQueue,
    DISCORD_TASK_QUEUE: discordTaskQueue,
  });
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logLines.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  const workers = await startWorkers(config, logger, { workflowBundle });
  running.push(workers);
  return workers;
}

const probe = (id: string) =>
  env.client.workflow.start(discordProbe, {
    workflowId: `${taskQueue}-${id}`,
    taskQueue,
    args: [discordTaskQueue, DEMO_GUILD_ID],
  });

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms),
    ),
  ]);

describe('worker on a 401 from Discord', () => {
  it('stops the Discord worker alone, loudly, and a worker with a valid token finishes the work', async () => {
    const first = await start(emulator.token);
    expect(await (await probe('before')).result()).toBe(DEMO_BOT_ID);

    // The token is revoked: the next Discord call gets a 401.
    const seed = demoWorldSeed();
    seed.bot.token = NEW_TOKEN;
    emulator.control.seed(seed);
    const pending = await probe('during');
    await within(first.discordStopped, 30_000, 'the Discord worker stopping');

    const errors = logLines.filter((line) => line.level >= 50);
    expect(errors.map((line) => line.msg)).toEqual([DISCORD_UNAUTHORIZED_MESSAGE]);

    // The main worker still runs workflows.
    const other = await env.client.workflow.start(workflowOnly, {
      workflowId: `${taskQueue}-other`,
      taskQueue,
    });
    expect(await within(other.result(), 20_000, 'a workflow on the main worker')).toBe('done');

    // The activity failed retryable and waits for a healthy worker; no one asks Discord again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const described = await pending.describe();
    expect(described.status.name).toBe('RUNNING');
    const activity = described.raw.pendingActivities?.[0];
    expect(activity?.lastFailure?.applicationFailureInfo).toMatchObject({
      type: 'DiscordUnauthorized',
      nonRetryable: false,
    });
    expect(emulator.control.counterSnapshot().perStatus['401']).toBe(1);

    // Fixed and restarted: the same activity completes, nothing lost.
    await start(NEW_TOKEN);
    expect(await within(pending.result(), 30_000, 'the retried activity')).toBe(DEMO_BOT_ID);
  });
});
