/**
 * The health check on the real servers: the dev server, the Discord emulator, and a
 * FerretDB of this file's own that it stops and starts again on the same port and data.
 * Checks are started as the schedule starts them; the guild's monitor alerts once when
 * the database goes down, stays quiet while it is down, says "recovered" once when it
 * is back; `starter health` exits 1 while it is down and 0 after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MongoClient } from 'mongodb';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../../src/emulator';
import type { HealthReport, MonitorState } from '../../../src/health/model';
import type { GuildHealthView } from '../../../src/health/view';
import { healthCheckTask } from '../../../src/tasks/health-check';
import type { healthCheck, HealthCheckInput } from '../../../src/workflows/health-check';
import { healthMonitorWorkflowId, healthStateQuery } from '../../../src/workflows/health-messages';
import { Cleanup } from '../../faults/lib/cleanup';
import { RestartableDatabase } from '../../faults/lib/servers';
import { createDevServerEnv } from '../../helpers/temporal';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { cli, eventually } from '../../starter/cli';

const GUILD = DEMO_GUILD_ID;
const cleanup = new Cleanup();
let logDir: string;
let database: RestartableDatabase;
let mongo: MongoClient;
let env: TestWorkflowEnvironment;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;

beforeAll(async () => {
  logDir = await mkdtemp(path.join(os.tmpdir(), 'health-check-logs-'));
  [database, env, emulator] = await Promise.all([
    RestartableDatabase.start('health-db', logDir, cleanup),
    createDevServerEnv(),
    startDiscordEmulator(),
  ]);
  // A monitor of the demo guild left by another test file on the shared server would hold the
  // id on a task queue no worker polls: this file's checks start their own.
  await env.client.workflow
    .getHandle(healthMonitorWorkflowId(GUILD))
    .terminate('a new test file')
    .catch(() => undefined);
  mongo = new MongoClient(database.uri, { serverSelectionTimeoutMS: 10_000 });
  workers = await startTaskWorkers({
    env,
    db: mongo.db('health'),
    emulator,
    variables: { MONGODB_URI: database.uri, MONGODB_DB: 'health' },
  });
});

afterAll(async () => {
  // The monitor runs forever: end it, so nothing of this file outlives it on the shared server.
  await env?.client.workflow
    .getHandle(healthMonitorWorkflowId(GUILD))
    .terminate('test over')
    .catch(() => undefined);
  await workers?.shutdown();
  await mongo?.close();
  await Promise.allSettled([emulator?.close(), env?.teardown(), cleanup.run()]);
  if (logDir) await rm(logDir, { recursive: true, force: true });
});

/** One check as the schedule starts it, and the monitor's state once it has handled that report. */
async function runCheck(): Promise<{ report: HealthReport; state: MonitorState }> {
  const report: HealthReport = await env.client.workflow.execute<typeof healthCheck>('healthCheck', {
    workflowId: healthCheckTask.manualWorkflowId(GUILD, new Date()),
    taskQueue: workers.taskQueue,
    args: healthCheckTask.workflowArgs(workers.config, GUILD, { dryRun: false }) as [HealthCheckInput],
  });
  const monitor = env.client.workflow.getHandle(healthMonitorWorkflowId(GUILD));
  const state = await eventually(
    () => monitor.query(healthStateQuery).catch(() => undefined),
    (value) => value?.checkedAt === report.checkedAt,
    30_000,
  );
  expect(state?.checkedAt).toBe(report.checkedAt);
  return { report, state: state! };
}

/** The health embeds the admin channel holds, by title. */
function adminNotices(): { title: string; fields: { name: string; value: string }[] }[] {
  return emulator.control
    .messages({ channelId: DEMO_CHANNELS.admin })
    .flatMap((message) => message.embeds as { title: string; fields: { name: string; value: string }[] }[])
    .filter((embed) => embed.title.startsWith('Health '));
}

async function starterHealth(): Promise<{ code: number; views: GuildHealthView[] }> {
  const run = await cli(['health', '--guild', GUILD, '--json'], workers.variables);
  expect(run.err).toEqual([]);
  return { code: run.code, views: JSON.parse(run.out.join('\n')) as GuildHealthView[] };
}

const statusOf = (report: HealthReport, name: string) => report.checks.find((c) => c.name === name)?.status;

describe('health-check with the database stopped and started again', () => {
  it('finds every check ok and tells the admins once that monitoring is on', async () => {
    const { report, state } = await runCheck();
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['database', 'ok'],
      ['discord-api', 'ok'],
      ['guild', 'ok'],
      ['admin-channel', 'ok'],
      ['worker', 'ok'],
    ]);
    expect(report.checks[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(state.checks.every((check) => check.ok)).toBe(true);
    const started = adminNotices();
    expect(started.map((notice) => notice.title)).toEqual(['Health monitoring on']);
    expect(started[0]!.fields).toHaveLength(5);
    const { code, views } = await starterHealth();
    expect(code).toBe(0);
    expect(views).toMatchObject([{ guildId: GUILD, ok: true, stale: false }]);
  });

  it('alerts once, naming the database, when it goes down', async () => {
    await database.stop();
    const { report } = await runCheck();
    expect(statusOf(report, 'database')).toBe('failing');
    expect(statusOf(report, 'discord-api')).toBe('ok');
    const notices = adminNotices();
    expect(notices.map((notice) => notice.title)).toEqual(['Health monitoring on', 'Health check failing']);
    expect(notices[1]!.fields.map((field) => field.name)).toEqual(['Database']);
  });

  it('exits 1 from starter health while the database is down', async () => {
    const { code, views } = await starterHealth();
    expect(code).toBe(1);
    expect(views[0]!.ok).toBe(false);
    expect(views[0]!.checks.find((check) => check.name === 'database')).toMatchObject({ ok: false });
    const table = await cli(['health', '--guild', GUILD], workers.variables);
    expect(table.code).toBe(1);
    expect(table.out[0]).toMatch(new RegExp(`^guild ${GUILD}: FAILING`));
    expect(table.out.find((line) => line.trim().startsWith('database'))).toMatch(
      /failing .*no answer to ping/,
    );
  });

  it('does not alert again while the database stays down', async () => {
    const { report } = await runCheck();
    expect(statusOf(report, 'database')).toBe('failing');
    expect(adminNotices().map((notice) => notice.title)).toEqual([
      'Health monitoring on',
      'Health check failing',
    ]);
  });

  it('says "recovered" once when the database is back, and starter health exits 0', async () => {
    await database.start();
    const { report } = await runCheck();
    expect(statusOf(report, 'database')).toBe('ok');
    const notices = adminNotices();
    expect(notices.map((notice) => notice.title)).toEqual([
      'Health monitoring on',
      'Health check failing',
      'Health check recovered',
    ]);
    expect(notices[2]!.fields.map((field) => field.name)).toEqual(['Database']);
    const { code, views } = await starterHealth();
    expect(code).toBe(0);
    expect(views[0]!.checks.find((check) => check.name === 'database')).toMatchObject({ ok: true });
  });

  it('stays quiet on the next check once recovered', async () => {
    await runCheck();
    expect(adminNotices()).toHaveLength(3);
  });
});
