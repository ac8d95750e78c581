/**
 * `npm start`'s first runs (src/first-runs.ts) on the real dev server's schedules: the
 * cleanup is triggered first and the usage analytics only once that run has ended, so
 * the analytics counts the deletions the cleanup's DMs announce. The guild is one the
 * emulator does not know (its own schedule ids, beside other test files): both runs
 * end early, which is all the order needs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CLEANUP_TASK } from '../../src/cleanup/policy';
import { startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { triggerFirstRuns } from '../../src/first-runs';
import { actOnSchedule, reconcileSchedules } from '../../src/schedules';
import { enabledTasks } from '../../src/tasks/registry';
import { USAGE_ANALYTICS_TASK } from '../../src/tasks/usage-analytics';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../helpers/task-workers';
import { createDevServerEnv } from '../helpers/temporal';
import { newGuildId } from '../starter/cli';

const guild = newGuildId();
const farCron = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;
let temporal: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;

beforeAll(async () => {
  [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('first_runs'),
    startDiscordEmulator(),
  ]);
  workers = await startTaskWorkers({
    env: temporal,
    db: database.db,
    emulator,
    // Schedules that fire twelve hours from now: no scheduled action beside the test's triggers.
    variables: {
      GUILD_IDS: guild,
      CLEANUP_SCHEDULE: farCron,
      USAGE_ANALYTICS_SCHEDULE: farCron,
    },
  });
});

afterAll(async () => {
  const tasks = workers ? enabledTasks(workers.config) : [];
  for (const task of tasks)
    await actOnSchedule(temporal.client, task, guild, 'delete').catch(() => undefined);
  await workers?.shutdown();
  await Promise.allSettled([temporal?.teardown(), database?.drop(), emulator?.close()]);
});

it('triggers the cleanup first and the usage analytics once the cleanup run has ended', async () => {
  const { client } = temporal;
  await reconcileSchedules(client, workers.config, [guild]);
  const tasks = enabledTasks(workers.config).filter((task) =>
    [USAGE_ANALYTICS_TASK, CLEANUP_TASK].includes(task.name),
  );
  expect(tasks.map((task) => task.name).sort()).toEqual([CLEANUP_TASK, USAGE_ANALYTICS_TASK]);

  const { rest } = await triggerFirstRuns(client, tasks, [guild], () => false);
  await rest;

  const runOf = async (name: string) => {
    const task = tasks.find((t) => t.name === name)!;
    const { info } = await client.schedule.getHandle(task.scheduleId(guild)).describe();
    const started = info.recentActions.map((taken) => taken.action.workflow.workflowId);
    expect(started, `${name} runs`).toHaveLength(1);
    const handle = client.workflow.getHandle(started[0]!);
    await handle.result().catch(() => undefined);
    return handle.describe();
  };
  const cleanup = await runOf(CLEANUP_TASK);
  const analytics = await runOf(USAGE_ANALYTICS_TASK);
  expect(cleanup.closeTime).toBeDefined();
  expect(analytics.startTime.getTime()).toBeGreaterThanOrEqual(cleanup.closeTime!.getTime());
}, 60_000);
