/**
 * Every task's workers as `npm run worker` wires them (src/tasks/workers.ts), in the
 * test process: on the shared dev server or a time-skipping one, a test database and
 * the Discord emulator, with the configuration the worker would load from these
 * variables. Each call gets its own task queues.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from 'mongodb';
import { inject } from 'vitest';
import { temporalScheduleReader } from '../../src/activities';
import type { ScheduleReader } from '../../src/activities/cleanup-data';
import { loadConfig, type Config } from '../../src/config';
import { createDmChannelDirectory } from '../../src/db';
import { createDiscordGateway } from '../../src/discord';
import { DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { createTaskActivities, createTaskWorkers } from '../../src/tasks/workers';
import { uniqueTaskQueue, workflowBundle } from './temporal';

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
  const config = loadConfig(variables);
  const activities = await createTaskActivities({
    config,
    db: options.db,
    temporal: options.env.client,
    discord: createDiscordGateway({
      token: options.emulator.token,
      apiUrl: options.emulator.apiUrl,
      dmChannels: createDmChannelDirectory(options.db),
    }),
    schedules: options.schedules ?? temporalScheduleReader(options.env.client),
    ...(options.now ? { now: options.now } : {}),
  });
  const { main, discord } = await createTaskWorkers({
    connection: options.env.nativeConnection,
    taskQueue: config.temporal.taskQueue,
    discordTaskQueue: config.temporal.discordTaskQueue,
    activities,
    workflowBundle: workflowBundle(),
    shutdownGraceTime: '1 second',
  });
  const running = Promise.all([main.run(), discord.run()]);
  return {
    config,
    variables,
    taskQueue: config.temporal.taskQueue,
    discordTaskQueue: config.temporal.discordTaskQueue,
    async shutdown() {
      main.shutdown();
      discord.shutdown();
      await running;
    },
  };
}
