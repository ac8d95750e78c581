/**
 * Every task's workers as `npm run worker` wires them (src/tasks/workers.ts), in the
 * test process: on the shared dev server or a time-skipping one, a test database and
 * the Discord emulator, with the configuration the worker would load from these
 * variables. Each call gets its own task queues.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from 'mongodb';
import { inject } from 'vitest';
import type { ScheduleReader } from '../../src/activities/cleanup-data';
import type { Config } from '../../src/config';
import { DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { uniqueTaskQueue, workflowBundle } from './temporal';
import { startWiredTaskWorkers } from './wired-task-workers';

export interface TaskWorkersHarness {
  config: Config;
  /** The variables the configuration was loaded from (for the starter CLI). */
  variables: Record<string, string>;
  taskQueue: string;
  discordTaskQueue: string;
  shutdown(): Promise<void>;
}

export async function startTaskWorkers(options: {
  env: TestWorkflowEnvironment;
  db: Db;
  emulator: DiscordEmulator;
  /** More variables, e.g. BACKUP_DIR; they win over the defaults here. */
  variables?: Record<string, string>;
  /** Default: the dev server's schedules (a time-skipping server has none: pass a stand-in). */
  schedules?: ScheduleReader;
  now?: () => Date;
}): Promise<TaskWorkersHarness> {
  const taskQueue = uniqueTaskQueue('tasks');
  const variables: Record<string, string> = {
    DISCORD_TOKEN: options.emulator.token,
    DISCORD_API_URL: options.emulator.apiUrl,
    GUILD_IDS: DEMO_GUILD_ID,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: inject('mongodbUri'),
    MONGODB_DB: options.db.databaseName,
    TASK_QUEUE: taskQueue,
    DISCORD_TASK_QUEUE: `${taskQueue}-discord`,
    ...options.variables,
  };
  const workers = await startWiredTaskWorkers({
    ...options,
    variables,
    workflowBundle: workflowBundle(),
  });
  return {
    config: workers.config,
    variables,
    taskQueue: workers.config.temporal.taskQueue,
    discordTaskQueue: workers.config.temporal.discordTaskQueue,
    shutdown: () => workers.shutdown(),
  };
}
