/**
 * The cleanup's real parts wired for workflow tests under time skipping: the Java
 * test server, a FerretDB database, the Discord emulator spoken to by the real
 * discord.js client, and both workers (main and Discord task queues) with the real
 * activities. Only the schedule reader is a stand-in: the test server has no Schedules.
 */
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { ObjectId } from 'mongodb';
import { createCleanupDataActivities, createDiscordActivities } from '../../src/activities';
import type { CleanupPolicy, CleanupResult } from '../../src/cleanup/model';
import { DEFAULT_POLICY } from '../../src/cleanup/policy';
import { createCustomCommandsApi } from '../../src/commands/api';
import {
  COLLECTIONS,
  createCommandStore,
  createNotificationLog,
  createRunLog,
  type CustomCommandDoc,
} from '../../src/db';
import { createDiscordGateway } from '../../src/discord';
import { startDiscordEmulator, DEMO_GUILD_ID, type DiscordEmulator } from '../../src/emulator';
import { customCommandCleanup, type CleanupInput } from '../../src/workflows';
import { createTestDatabase, type TestDatabase } from './mongo';
import { createTimeSkippingEnv, uniqueTaskQueue, workflowBundle, type TimeSkippingEnv } from './temporal';

export const DAY = 24 * 60 * 60 * 1000;
export const GUILD = DEMO_GUILD_ID;
/** What the stand-in schedule reader answers, so the summary's "next run" can be checked. */
export const NEXT_RUN_AT = Date.UTC(2030, 0, 2, 3, 0, 0);

export interface CleanupHarness {
  harness: TimeSkippingEnv;
  database: TestDatabase;
  emulator: DiscordEmulator;
  taskQueue: string;
  discordTaskQueue: string;
  api: ReturnType<typeof createCustomCommandsApi>;
  /** The test server's clock (it jumps when time is skipped). */
  serverNow(): Promise<number>;
  /** Inserts a command whose last use (and creation) was `idleDays` ago on the server's clock. */
  seedCommand(name: string, creatorId: string, idleDays: number, content?: string): Promise<string>;
  runCleanup(options?: Partial<CleanupInput>): Promise<{ workflowId: string; result: CleanupResult }>;
  /**
   * Runs `fn` (the workers poll for the whole file: restarting them between tests
   * would strand workflow tasks on the old workers' sticky queues).
   */
  withWorkers<T>(fn: () => Promise<T>): Promise<T>;
  /** Empties the collections and the emulator's messages between tests. */
  reset(): Promise<void>;
  teardown(): Promise<void>;
}

export async function createCleanupHarness(policy: CleanupPolicy = DEFAULT_POLICY): Promise<CleanupHarness> {
  const [harness, database, emulator] = await Promise.all([
    createTimeSkippingEnv(),
    createTestDatabase('cleanup'),
    startDiscordEmulator(),
  ]);
  const { env } = harness;
  const store = createCommandStore(database.db);
  const notifications = createNotificationLog(database.db);
  await Promise.all([store.ensureIndexes(), notifications.ensureIndexes()]);
  const taskQueue = uniqueTaskQueue('cleanup');
  const discordTaskQueue = `${taskQueue}-discord`;
  let clock = Date.now();
  const serverNow = async () => (clock = await env.currentTimeMs());
  const api = createCustomCommandsApi({ store, temporal: env.client, now: () => new Date(clock) });

  const dataActivities = createCleanupDataActivities({
    store,
    notifications,
    runs: createRunLog(database.db),
    temporal: env.client,
    schedules: { nextRunAt: () => Promise.resolve(NEXT_RUN_AT) },
    taskQueue,
    archiveRetentionMs: 365 * DAY,
  });
  const discordActivities = createDiscordActivities({
    discord: createDiscordGateway({ token: emulator.token, apiUrl: emulator.apiUrl }),
    notifications,
    store,
  });

  const main = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: dataActivities,
  });
  const discord = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: discordTaskQueue,
    activities: discordActivities,
  });
  const running = Promise.all([main.run(), discord.run()]);
  const lockedClock = new Client({ connection: env.connection });

  const self: CleanupHarness = {
    harness,
    database,
    emulator,
    taskQueue,
    discordTaskQueue,
    api,
    serverNow,

    async seedCommand(name, creatorId, idleDays, content = `content of ${name}`) {
      const at = new Date((await serverNow()) - idleDays * DAY);
      const doc: CustomCommandDoc = {
        _id: new ObjectId(),
        guildId: GUILD,
        name,
        content,
        creatorId,
        createdAt: at,
        updatedAt: at,
        lastUsedAt: at,
        useCount: 3,
      };
      await database.db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertOne(doc);
      return doc._id.toHexString();
    },

    async runCleanup(options = {}) {
      const workflowId = `custom-command-cleanup:${GUILD}:test-${Math.random().toString(36).slice(2, 8)}`;
      // A plain client: awaiting the run must not skip time (the grace timers would fire
      // mid-run); time moves only where a test sleeps or awaits a grace workflow.
      const result = await lockedClock.workflow.execute(customCommandCleanup, {
        workflowId,
        taskQueue,
        args: [
          { guildId: GUILD, policy, adminChannels: ['admin', 'bot-logs'], discordTaskQueue, ...options },
        ],
      });
      return { workflowId, result };
    },

    async withWorkers(fn) {
      return Promise.race([fn(), running.then(() => Promise.reject(new Error('workers stopped')))]);
    },

    async reset() {
      await Promise.all(
        Object.values(COLLECTIONS).map((name) => database.db.collection(name).deleteMany({})),
      );
      emulator.control.reset();
    },

    async teardown() {
      main.shutdown();
      discord.shutdown();
      await running.catch(() => undefined);
      await Promise.allSettled([harness.teardown(), database.drop(), emulator.close()]);
    },
  };
  return self;
}
