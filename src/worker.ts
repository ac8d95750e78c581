/**
 * `npm run worker`: runs the workflows and activities. Two workers share one
 * connection: the main task queue (workflows, MongoDB activities) and the Discord
 * task queue. Discord's budget is counted per request by discord.js's REST client: this
 * process's own, or, with several workers, the rate-budget proxy's that they all send
 * through (npm run discord-proxy). SIGINT/SIGTERM/SIGHUP stop both gracefully:
 * they stop polling, let running activities finish (up to the shutdown grace time,
 * after which their tasks are handed back to the server for another worker), then exit.
 *
 * A 401 from Discord (token revoked or wrong) stops the Discord worker alone, loudly: its
 * activities would all fail until a restart, each a wasted attempt and an invalid request
 * toward Discord's ban. The main worker keeps running workflows; Discord activities wait
 * on the server (the one that met the 401 fails retryable) until a worker with a good
 * token polls their queue, so nothing is lost.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfigOrExit, requireSetting, exitOnConfigError, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { installTemporalRuntime } from './temporal-logging';
import { onShutdownSignal } from './shutdown';
import { connectMongo, temporalConnectionOptions } from './connections';
import { createDiscordGateway, type CreateDiscordGatewayOptions } from './discord';
import type { RestClientOptions } from './discord/rest-client';
import { temporalScheduleReader } from './activities';
import { createTaskActivities, createTaskWorkers } from './tasks/workers';
import { createDmChannelDirectory } from './db';

export const DISCORD_UNAUTHORIZED_MESSAGE =
  'Discord rejected the bot token (401): the Discord worker stops taking work; fix DISCORD_TOKEN and restart';

export interface RunningWorkers {
  /** Resolves when both workers have stopped (after shutdown() or a signal). */
  done: Promise<void>;
  /** Resolves when the Discord worker has stopped: after shutdown(), or alone after a 401. */
  discordStopped: Promise<void>;
  shutdown(): void;
}

export interface StartWorkersOptions {
  /** A bundle built beforehand (tests, benchmarks); by default src/workflows is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function startWorkers(
  config: Config,
  logger: Logger,
  options: StartWorkersOptions = {},
): Promise<RunningWorkers> {
  const token = requireSetting(config.discord.token, 'DISCORD_TOKEN', 'the bot token');
  // Replaced once the Discord worker runs: a 401 can only come from its activities.
  let stopDiscordWorker = (): void => undefined;
  // gateway.ts hands these options to createRestClient whole; the hook rides along until
  // CreateDiscordGatewayOptions (another owner's file) declares it.
  const gatewayOptions: CreateDiscordGatewayOptions & Pick<RestClientOptions, 'onUnauthorized'> = {
    token,
    apiUrl: config.discord.apiUrl,
    globalRequestsPerSecond: config.discord.requestsPerSecond,
    onUnauthorized: () => {
      logger.error({ taskQueue: config.temporal.discordTaskQueue }, DISCORD_UNAUTHORIZED_MESSAGE);
      stopDiscordWorker();
    },
  };
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  // The activities' client (grace workflow starts, describes, schedules) shares the workers'
  // native connection: one channel, and its calls leave JavaScript at once.
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const { mongo, db } = await connectMongo(config);
  const activities = await createTaskActivities({
    config,
    db,
    temporal,
    discord: createDiscordGateway({ ...gatewayOptions, dmChannels: createDmChannelDirectory(db) }),
    schedules: temporalScheduleReader(temporal),
  });
  const { main: mainWorker, discord: discordWorker } = await createTaskWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    discordTaskQueue: config.temporal.discordTaskQueue,
    activities,
    requestsPerSecond: config.discord.requestsPerSecond,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
  });

  logger.info(
    {
      taskQueues: [config.temporal.taskQueue, config.temporal.discordTaskQueue],
      temporal: config.temporal.address,
    },
    'worker running',
  );
  const discordRun = discordWorker.run();
  stopDiscordWorker = () => stopIfRunning(discordWorker);
  const done = Promise.all([mainWorker.run(), discordRun]).then(async () => {
    await mongo.close();
    await connection.close();
    logger.info('worker stopped');
  });
  return {
    done,
    // A failed run is reported through `done`; this one only says the worker is gone.
    discordStopped: discordRun.then(
      () => undefined,
      () => undefined,
    ),
    shutdown: () => {
      stopIfRunning(mainWorker);
      stopIfRunning(discordWorker);
    },
  };
}

/** Worker.shutdown() throws unless running: the Discord worker may have stopped on a 401 already. */
function stopIfRunning(worker: Worker): void {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger, { metricsPort: config.metricsPort });
  const workers = await startWorkers(
    config,
    logger,
    config.workflowBundle ? { workflowBundle: { codePath: config.workflowBundle } } : {},
  ).catch(exitOnConfigError);
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
