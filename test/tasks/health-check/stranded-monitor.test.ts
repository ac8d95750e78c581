/**
 * A guild's monitor left on a task queue no worker polls (TASK_QUEUE changed) is replaced
 * by the next health check on this deployment's queue; one on a queue a worker still polls
 * is left alone. On the dev server, with the workers as production wires them and the
 * health check run by the starter CLI.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startDiscordEmulator, type DiscordEmulator } from '../../../src/emulator';
import { HEALTH_TASK } from '../../../src/health/names';
import { healthMonitorWorkflowId } from '../../../src/workflows/health-messages';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../../helpers/temporal';
import { cli, newGuildId } from '../../starter/cli';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
const guilds: string[] = [];

beforeAll(async () => {
  [env, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('stranded_monitor'),
    startDiscordEmulator(),
  ]);
  workers = await startTaskWorkers({ env, db: database.db, emulator });
});

afterAll(async () => {
  for (const guild of guilds) {
    await env?.client.workflow
      .getHandle(healthMonitorWorkflowId(guild))
      .terminate('test over')
      .catch(() => undefined);
  }
  await workers?.shutdown();
  await Promise.allSettled([database?.drop(), emulator?.close(), env?.teardown()]);
});

/** A monitor of a new guild, started on `taskQueue`; its workflow id and first run id. */
async function monitorOn(taskQueue: string) {
  const guild = newGuildId();
  guilds.push(guild);
  const started = await env.client.workflow.start('healthMonitor', {
    workflowId: healthMonitorWorkflowId(guild),
    taskQueue,
    args: [{ guildId: guild }],
  });
  return { guild, runId: started.firstExecutionRunId };
}

async function healthCheck(guild: string) {
  const run = await cli(['run', HEALTH_TASK, '--guild', guild, '--wait', '--json'], workers.variables);
  expect(run.code, run.err.join('\n')).toBe(0);
}

it('replaces a monitor stranded on a queue no worker polls with one on this queue', async () => {
  const { guild, runId } = await monitorOn(uniqueTaskQueue('nobody-polls'));

  await healthCheck(guild);

  const old = await env.client.workflow.getHandle(healthMonitorWorkflowId(guild), runId).describe();
  expect(old.status.name).toBe('TERMINATED');
  const current = await env.client.workflow.getHandle(healthMonitorWorkflowId(guild)).describe();
  expect(current.runId).not.toBe(runId);
  expect(current.status.name).toBe('RUNNING');
  expect(current.taskQueue).toBe(workers.taskQueue);
}, 60_000);

it('leaves alone a monitor on another queue that a worker still polls', async () => {
  const otherQueue = uniqueTaskQueue('other-deployment');
  const other = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: otherQueue,
    workflowBundle: workflowBundle(),
    activities: {},
  });
  await other.runUntil(async () => {
    const { guild, runId } = await monitorOn(otherQueue);
    // Its first workflow task makes the other worker a poller the server has seen.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    await healthCheck(guild);

    const current = await env.client.workflow.getHandle(healthMonitorWorkflowId(guild)).describe();
    expect(current.runId).toBe(runId);
    expect(current.status.name).toBe('RUNNING');
    expect(current.taskQueue).toBe(otherQueue);
  });
}, 60_000);
