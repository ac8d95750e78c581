/**
 * Every task's workers as `npm run worker` wires them (src/tasks/workers.ts), free of
 * vitest: the configuration loaded from the variables given (the emulator's token and
 * URL added), the real activities on a database and the Discord emulator, the
 * schedules read from Temporal. The history recorder runs them on its own dev server.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { temporalScheduleReader, type ScheduleReader } from '../../src/activities';
import { loadConfig, type Config } from '../../src/config';
import { createDmChannelDirectory } from '../../src/db';
import { createDiscordGateway } from '../../src/discord';
import type { DiscordEmulator } from '../../src/emulator';
import { createTaskActivities, createTaskWorkers } from '../../src/tasks/workers';

export interface WiredTaskWorkers {
  config: Config;
  /** Rejects if the workers stop before `shutdown()`. */
  stopped: Promise<never>;
  shutdown(): Promise<void>;
}

export async function startWiredTaskWorkers(options: {
  env: TestWorkflowEnvironment;
  db: Db;
  emulator: DiscordEmulator;
  /** The worker's environment: TEMPORAL_ADDRESS, MONGODB_URI, TASK_QUEUE, BACKUP_DIR... */
  variables: Record<string, string>;
  workflowBundle: WorkerOptions['workflowBundle'];
  /** Default: the server's schedules (a time-skipping server has none: pass a stand-in). */
  schedules?: ScheduleReader;
  now?: () => Date;
}): Promise<WiredTaskWorkers> {
  const { env, db, emulator } = options;
  const config = loadConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    ...options.variables,
  });
  const activities = await createTaskActivities({
    config,
    db,
    temporal: env.client,
    discord: createDiscordGateway({
      token: emulator.token,
      apiUrl: emulator.apiUrl,
      dmChannels: createDmChannelDirectory(db),
    }),
    schedules: options.schedules ?? temporalScheduleReader(env.client),
    ...(options.now ? { now: options.now } : {}),
  });
  const { main, discord } = await createTaskWorkers({
    connection: env.nativeConnection,
    taskQueue: config.temporal.taskQueue,
    discordTaskQueue: config.temporal.discordTaskQueue,
    activities,
    workflowBundle: options.workflowBundle,
    shutdownGraceTime: '1 second',
  });
  const running = Promise.all([main.run(), discord.run()]);
  let shuttingDown = false;
  const stopped = running.then(() =>
    Promise.reject(new Error(shuttingDown ? 'workers shut down' : 'the workers stopped')),
  );
  stopped.catch(() => undefined); // observed through races by the callers
  return {
    config,
    stopped,
    async shutdown() {
      shuttingDown = true;
      main.shutdown();
      discord.shutdown();
      await running.catch(() => undefined);
    },
  };
}
