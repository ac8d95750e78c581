/**
 * The pieces of test/fixtures/record-task-histories.ts that are not scenarios: its
 * Temporal dev server, a task started as its Schedule starts it, waiting on a query,
 * the state each scenario starts from, and the records it seeds. Free of vitest.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { Db } from 'mongodb';
import type { Config } from '../../src/config';
import { COLLECTIONS, type CustomCommandDoc } from '../../src/db';
import { DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { HEALTH_CHECKS } from '../../src/health/model';
import { freePort } from '../../src/local/processes';
import { startTemporalDevServer } from '../../src/local/servers';
import type { ScheduledTask } from '../../src/tasks/task';
import type { HealthDelivery } from '../../src/workflows/health-messages';
import { startWiredTaskWorkers, type WiredTaskWorkers } from './wired-task-workers';

/** A dev server of the recording (search attributes registered as for `npm start`), with a client environment. */
export async function startDevServerEnv(scratch: string) {
  const server = await startTemporalDevServer({
    port: await freePort(),
    logFile: path.join(scratch, 'temporal.log'),
  });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  return {
    env,
    address: server.address,
    async teardown() {
      await env.teardown();
      await server.process.stop();
    },
  };
}

/** Every task's workers on the recording's dev server, the configuration as the worker would load it. */
export function startRecordingWorkers(options: {
  temporal: Awaited<ReturnType<typeof startDevServerEnv>>;
  db: Db;
  emulator: DiscordEmulator;
  bundle: WorkflowBundle;
  backupDir: string;
}): Promise<WiredTaskWorkers> {
  const { temporal, db } = options;
  return startWiredTaskWorkers({
    env: temporal.env,
    db,
    emulator: options.emulator,
    workflowBundle: options.bundle,
    variables: {
      GUILD_IDS: DEMO_GUILD_ID,
      TEMPORAL_ADDRESS: temporal.address,
      MONGODB_DB: db.databaseName,
      TASK_QUEUE: 'record-task-histories',
      DISCORD_TASK_QUEUE: 'record-task-histories-discord',
      BACKUP_DIR: options.backupDir,
    },
  });
}

/** Runs a task's workflow for a guild as its Schedule starts it (arguments, search attributes, summary) and awaits it. */
export function runTaskAsScheduled<Result>(
  client: Client,
  config: Config,
  guildId: string,
  task: ScheduledTask,
  workflowId: string,
): Promise<Result> {
  return client.workflow.execute(task.workflowType, {
    workflowId,
    taskQueue: config.temporal.taskQueue,
    args: task.workflowArgs(config, guildId, { dryRun: false }),
    typedSearchAttributes: new TypedSearchAttributes(task.searchAttributes(guildId)),
    staticSummary: task.summary(guildId, { dryRun: false }),
  });
}

/** Asks `probe` until `done` holds (a query may meet a run handing over to the next): at most 30 s. */
export async function untilAnswered<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not recorded: still ${JSON.stringify(value)} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Empty collections (indexes kept), inbox and backup directory. */
export async function resetRecording(db: Db, emulator: DiscordEmulator, backupDir: string): Promise<void> {
  await Promise.all(Object.values(COLLECTIONS).map((name) => db.collection(name).deleteMany({})));
  emulator.control.reset();
  await rm(backupDir, { recursive: true, force: true });
  await mkdir(backupDir, { recursive: true });
}

/** Commands of one creator, last used (and created) at `at`. */
export async function insertIdleCommands(
  db: Db,
  guildId: string,
  creatorId: string,
  names: string[],
  at: Date,
): Promise<void> {
  const docs = names.map((name) => ({
    guildId,
    name,
    content: `content of ${name}`,
    creatorId,
    createdAt: at,
    updatedAt: at,
    lastUsedAt: at,
    useCount: 1,
  }));
  await db.collection<Omit<CustomCommandDoc, '_id'>>(COLLECTIONS.commands).insertMany(docs);
}

/** A report of every check ok, as the health check hands it to the monitor. */
export function healthyDelivery(config: Config, guildId: string, checkedAt: Date): HealthDelivery {
  return {
    report: {
      guildId,
      checkedAt: checkedAt.toISOString(),
      checks: HEALTH_CHECKS.map((name) => ({ name, status: 'ok', detail: `${name} fine` })),
    },
    adminChannels: ['admin', 'bot-logs'],
    discordTaskQueue: config.temporal.discordTaskQueue,
  };
}
