/**
 * The cleanup's real parts wired for workflow tests under time skipping: the Java
 * test server, a FerretDB database, the Discord emulator spoken to by the real
 * discord.js client, and both workers (main and Discord task queues) with the real
 * activities. Only the schedule reader is a stand-in: the test server has no Schedules.
 */
import type { Client } from '@temporalio/client';
import type { CleanupPolicy, CleanupResult } from '../../src/cleanup/model';
import { DEFAULT_POLICY } from '../../src/cleanup/policy';
import { createCustomCommandsApi } from '../../src/commands/api';
import { startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { customCommandCleanup, type CleanupInput } from '../../src/workflows';
import { startCleanupWorkers, GUILD } from './cleanup-workers';
import { createTestDatabase, type TestDatabase } from './mongo';
import { createTimeSkippingEnv, uniqueTaskQueue, workflowBundle, type TimeSkippingEnv } from './temporal';

export { GUILD, NEXT_RUN_AT } from './cleanup-workers';

export interface CleanupHarness {
  harness: TimeSkippingEnv;
  database: TestDatabase;
  emulator: DiscordEmulator;
  taskQueue: string;
  discordTaskQueue: string;
  /** A client that does not skip time while it awaits (see cleanup-workers.ts). */
  lockedClock: Client;
  /** The test server's clock (it jumps when time is skipped). */
  serverNow(): Promise<number>;
  /** A use of the command through the bot-side API, now on the server's clock. */
  recordUse(name: string): Promise<void>;
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
  const serverNow = () => env.currentTimeMs();
  // The API stamps a use with the server's time, read just before (see recordUse).
  let clock = Date.now();
  const workers = await startCleanupWorkers({
    env,
    db: database.db,
    emulator,
    workflowBundle: workflowBundle(),
    taskQueue: uniqueTaskQueue('cleanup'),
    serverNow,
  });
  const { taskQueue, discordTaskQueue } = workers;
  const api = createCustomCommandsApi({
    store: workers.store,
    temporal: env.client,
    now: () => new Date(clock),
  });

  const self: CleanupHarness = {
    harness,
    database,
    emulator,
    taskQueue,
    discordTaskQueue,
    lockedClock: workers.lockedClock,
    serverNow,
    async recordUse(name) {
      clock = await serverNow();
      await api.recordUse(GUILD, name);
    },
    seedCommand: (...args) => workers.seedCommand(...args),

    async runCleanup(options = {}) {
      const workflowId = `custom-command-cleanup:${GUILD}:test-${Math.random().toString(36).slice(2, 8)}`;
      // A plain client: awaiting the run must not skip time (the grace timers would fire
      // mid-run); time moves only where a test sleeps or awaits a grace workflow.
      const result = await workers.lockedClock.workflow.execute(customCommandCleanup, {
        workflowId,
        taskQueue,
        args: [
          { guildId: GUILD, policy, adminChannels: ['admin', 'bot-logs'], discordTaskQueue, ...options },
        ],
      });
      return { workflowId, result };
    },

    async withWorkers(fn) {
      return Promise.race([fn(), workers.stopped]);
    },

    reset: () => workers.reset(),

    async teardown() {
      await workers.shutdown();
      await Promise.allSettled([harness.teardown(), database.drop(), emulator.close()]);
    },
  };
  return self;
}
