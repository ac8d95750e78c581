/**
 * `npm run worker`: runs the workflows and activities. Two workers share one
 * connection: the main task queue (workflows, MongoDB activities) and the Discord
 * task queue, whose `maxTaskQueueActivitiesPerSecond` caps Discord traffic for the
 * whole cluster under the bot's global limit. SIGINT/SIGTERM stop both gracefully:
 * they stop polling, let running activities finish (up to the shutdown grace time,
 * after which their tasks are handed back to the server for another worker), then exit.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfigOrExit, requireSetting, exitOnConfigError, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { installTemporalRuntime } from './temporal-logging';
import { onShutdownSignal } from './shutdown';
import { connectMongo, connectTemporalClient } from './connections';
import { createCommandStore, createNotificationLog, createRunLog } from './db';
import { createDiscordGateway } from './discord';
import { createCleanupDataActivities, createDiscordActivities, temporalScheduleReader } from './activities';

/** Requests a Discord activity makes at most (membership check, DM channel, message). */
const REQUESTS_PER_DISCORD_ACTIVITY = 3;

export interface RunningWorkers {
  /** Resolves when both workers have stopped (after shutdown() or a signal). */
  done: Promise<void>;
  shutdown(): void;
}

export async function startWorkers(config: Config, logger: Logger): Promise<RunningWorkers> {
  const token = requireSetting(config.discord.token, 'DISCORD_TOKEN', 'the bot token');
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const temporal = await connectTemporalClient(config);
  const { mongo, db } = await connectMongo(config);
  const store = createCommandStore(db);
  const notifications = createNotificationLog(db);
  await Promise.all([store.ensureIndexes(), notifications.ensureIndexes()]);

  const mainWorker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)),
    shutdownGraceTime: '20 seconds',
    shutdownForceTime: '30 seconds',
    activities: createCleanupDataActivities({
      store,
      notifications,
      runs: createRunLog(db),
      temporal,
      schedules: temporalScheduleReader(temporal),
      taskQueue: config.temporal.taskQueue,
      archiveRetentionMs: config.cleanup.archiveRetentionMs,
    }),
  });
  const discordWorker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.discordTaskQueue,
    activities: createDiscordActivities({
      discord: createDiscordGateway({ token, apiUrl: config.discord.apiUrl }),
      notifications,
      store,
    }),
    maxTaskQueueActivitiesPerSecond: config.discord.requestsPerSecond / REQUESTS_PER_DISCORD_ACTIVITY,
    shutdownGraceTime: '20 seconds',
    shutdownForceTime: '30 seconds',
  });

  logger.info(
    {
      taskQueues: [config.temporal.taskQueue, config.temporal.discordTaskQueue],
      temporal: config.temporal.address,
    },
    'worker running',
  );
  const done = Promise.all([mainWorker.run(), discordWorker.run()]).then(async () => {
    await mongo.close();
    await temporal.connection.close();
    await connection.close();
    logger.info('worker stopped');
  });
  return {
    done,
    shutdown: () => {
      mainWorker.shutdown();
      discordWorker.shutdown();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger, { metricsPort: config.metricsPort });
  const workers = await startWorkers(config, logger).catch(exitOnConfigError);
  onShutdownSignal(() => {
    logger.info('shutting down: no new tasks, waiting for running activities');
    workers.shutdown();
  });
  await workers.done;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
