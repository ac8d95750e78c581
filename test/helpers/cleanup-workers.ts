/**
 * Both workers (main and Discord task queues) wired as the worker wires them, with the
 * real activities on a test database and the Discord emulator, on a time-skipping
 * environment. Only the schedule reader is a stand-in: the test server has no Schedules. Free of vitest,
 * so the history recorder uses it as the tests do.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { loadConfig } from '../../src/config';
import { createTaskActivities, createTaskWorkers } from '../../src/tasks/workers';
import {
  COLLECTIONS,
  createCommandStore,
  createDmChannelDirectory,
  newCommandDoc,
  type CommandStore,
  type CustomCommandDoc,
} from '../../src/db';
import { createDiscordGateway } from '../../src/discord';
import { DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { DAY_MS } from '../../src/duration';

// The history recorder's name for the day, until it imports DAY_MS itself.
export { DAY_MS as DAY } from '../../src/duration';
export const GUILD = DEMO_GUILD_ID;
/** What the stand-in schedule reader answers, so the summary's "next run" can be checked. */
export const NEXT_RUN_AT = Date.UTC(2030, 0, 2, 3, 0, 0);

export interface CleanupWorkersOptions {
  env: TestWorkflowEnvironment;
  db: Db;
  emulator: DiscordEmulator;
  workflowBundle: WorkerOptions['workflowBundle'];
  taskQueue: string;
  /** The clock commands are aged against; default the test server's. */
  serverNow?: () => Promise<number>;
}

export interface CleanupWorkers {
  store: CommandStore;
  taskQueue: string;
  discordTaskQueue: string;
  /** A client that does not skip time while it awaits: timers fire only where a test says so. */
  lockedClock: Client;
  /** Rejects if the workers stop before `shutdown()`. */
  stopped: Promise<never>;
  /** Inserts a demo-guild command last used (and created) `idleDays` ago on the server's clock; returns its id. */
  seedCommand(name: string, creatorId: string, idleDays: number, content?: string): Promise<string>;
  /** Empties the collections and the emulator's messages. */
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function startCleanupWorkers(options: CleanupWorkersOptions): Promise<CleanupWorkers> {
  const { env, db, emulator, taskQueue } = options;
  const discordTaskQueue = `${taskQueue}-discord`;
  const serverNow = options.serverNow ?? (() => env.currentTimeMs());
  const config = loadConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    TASK_QUEUE: taskQueue,
    DISCORD_TASK_QUEUE: discordTaskQueue,
    CLEANUP_ARCHIVE_RETENTION: '365 days',
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
    schedules: { nextRunAt: () => Promise.resolve(NEXT_RUN_AT) },
  });
  const store = createCommandStore(db);
  // As the worker wires them, without the rate cap: the time-skipping server has none to enforce.
  const { main, discord } = await createTaskWorkers({
    connection: env.nativeConnection,
    taskQueue,
    discordTaskQueue,
    activities,
    workflowBundle: options.workflowBundle,
    shutdownGraceTime: '1 second',
  });
  // The workers poll until shutdown: restarting them between scenarios would strand
  // workflow tasks on the old workers' sticky queues.
  const running = Promise.all([main.run(), discord.run()]);
  let shuttingDown = false;
  const stopped = running.then(() =>
    Promise.reject(new Error(shuttingDown ? 'workers shut down' : 'the workers stopped')),
  );
  stopped.catch(() => undefined); // observed through races by the callers

  return {
    store,
    taskQueue,
    discordTaskQueue,
    lockedClock: new Client({ connection: env.connection }),
    stopped,
    async seedCommand(name, creatorId, idleDays, content = `content of ${name}`) {
      const at = new Date((await serverNow()) - idleDays * DAY_MS);
      const doc = newCommandDoc({ guildId: GUILD, name, content, creatorId, at, useCount: 3 });
      await db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertOne(doc);
      return doc._id.toHexString();
    },
    async reset() {
      await Promise.all(Object.values(COLLECTIONS).map((name) => db.collection(name).deleteMany({})));
      emulator.control.reset();
    },
    async shutdown() {
      shuttingDown = true;
      main.shutdown();
      discord.shutdown();
      await running.catch(() => undefined);
    },
  };
}
