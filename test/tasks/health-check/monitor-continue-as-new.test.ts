/**
 * The guild's monitor continues as new before its history grows, on the dev server with
 * the workers as production wires them: the state (each check and since when, the count
 * of reports) and reports that arrive while it turns over carry into the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDiscordEmulator, type DiscordEmulator } from '../../../src/emulator';
import { HEALTH_CHECKS, type HealthReport } from '../../../src/health/model';
import type { healthMonitor } from '../../../src/workflows/health-monitor';
import {
  healthMonitorWorkflowId,
  healthReportSignal,
  healthStateQuery,
  type HealthDelivery,
} from '../../../src/workflows/health-messages';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { createDevServerEnv } from '../../helpers/temporal';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { eventually, newGuildId } from '../../starter/cli';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
const guildId = newGuildId();
const workflowId = healthMonitorWorkflowId(guildId);

beforeAll(async () => {
  [env, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('health'),
    startDiscordEmulator(),
  ]);
  workers = await startTaskWorkers({ env, db: database.db, emulator });
});

afterAll(async () => {
  await env?.client.workflow
    .getHandle(workflowId)
    .terminate('test over')
    .catch(() => undefined);
  await workers?.shutdown();
  await Promise.allSettled([database?.drop(), emulator?.close(), env?.teardown()]);
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

function delivery(minute: number): HealthDelivery {
  const report: HealthReport = {
    guildId,
    checkedAt: at(minute),
    checks: HEALTH_CHECKS.map((name) => ({ name, status: 'ok', detail: `${name} fine at ${minute}` })),
  };
  return { report, adminChannels: ['admin'], discordTaskQueue: workers.discordTaskQueue };
}

describe('health monitor', () => {
  it('continues as new every few reports, carrying its state and the reports not yet handled', async () => {
    const started = await env.client.workflow.signalWithStart<typeof healthMonitor, [HealthDelivery]>(
      'healthMonitor',
      {
        workflowId,
        taskQueue: workers.taskQueue,
        args: [{ guildId, reportsPerRun: 2 }],
        signal: healthReportSignal,
        signalArgs: [delivery(0)],
      },
    );
    const monitor = env.client.workflow.getHandle(workflowId);
    // Sent back to back: some arrive while a run is handing over to the next.
    for (const minute of [5, 10, 15, 20]) await monitor.signal(healthReportSignal, delivery(minute));

    const state = await eventually(
      // A query may meet the hand-over between two runs: asked again then.
      () => monitor.query(healthStateQuery).catch(() => undefined),
      (value) => value?.reports === 5,
      30_000,
    );
    expect(state?.reports).toBe(5);
    expect(state?.checkedAt).toBe(at(20));
    expect(state?.checks.find((check) => check.name === 'database')).toMatchObject({
      ok: true,
      since: at(0),
      detail: 'database fine at 20',
    });
    const first = await env.client.workflow.getHandle(workflowId, started.signaledRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect((await monitor.describe()).runId).not.toBe(started.signaledRunId);
  });
});
