/**
 * Both workers (main and Discord task queues) wired as the worker wires them, with the
 * real activities on a test database and the Discord emulator, on a time-skipping
 * environment. Only the schedule reader is a stand-in: the test server has no Schedules.
 * Free of vitest, so the history recorder uses it as the tests do.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions } from '@temporalio/worker';
import type { Db } from 'mongodb';
import {
  COLLECTIONS,
  createCommandStore,
  newCommandDoc,
  type CommandStore,
  type CustomCommandDoc,
} from '../../src/db';
import { DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { DAY_MS } from '../../src/duration';
import { startWiredTaskWorkers } from './wired-task-workers';

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
  // As the worker wires them, without the rate cap: the time-skipping server has none to enforce.
  // They poll until shutdown: restarting them between scenarios would strand workflow tasks
  // on the old workers' sticky queues.
  const workers = await startWiredTaskWorkers({
    env,
    db,
    emulator,
    variables: {
      TASK_QUEUE: taskQueue,
      DISCORD_TASK_QUEUE: discordTaskQueue,
      CLEANUP_ARCHIVE_RETENTION: '365 days',
    },
    workflowBundle: options.workflowBundle,
    schedules: { nextRunAt: () => Promise.resolve(NEXT_RUN_AT) },
  });
  const store = createCommandStore(db);

  return {
    store,
    taskQueue,
    discordTaskQueue,
    lockedClock: new Client({ connection: env.connection }),
    stopped: workers.stopped,
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
    shutdown: () => workers.shutdown(),
  };
}
