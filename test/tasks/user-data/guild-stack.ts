/**
 * The real stack for a user-data test with cleanup runs, on a guild of its own: the demo
 * world under a fresh guild id (other test files run the demo guild's cleanup on the shared
 * dev server, and `starter run` refuses a second run of a guild in progress), a test
 * database, the Discord emulator and every task's workers.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../../src/db';
import { DAY_MS } from '../../../src/duration';
import {
  DEMO_GUILD_ID,
  demoWorldSeed,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';
import { expect } from 'vitest';
import { CLEANUP_TASK } from '../../../src/cleanup/policy';
import { cli, eventually, newGuildId } from '../../starter/cli';

export interface GuildStack {
  guild: string;
  temporal: TestWorkflowEnvironment;
  database: TestDatabase;
  emulator: DiscordEmulator;
  workers: TaskWorkersHarness;
  /** A command of `creatorId` unused for 70 days: the next cleanup run warns its creator. */
  insertIdleCommand(creatorId: string, name: string): Promise<void>;
  /**
   * Starts a cleanup run with `starter run` while the emulator holds the next DM for
   * `delayMs`; resolves with the run's workflow id once that DM is on its way.
   */
  startRunWithHeldDm(delayMs: number): Promise<string>;
  close(): Promise<void>;
}

export async function startGuildStack(
  databaseName: string,
  variables: Record<string, string> = {},
): Promise<GuildStack> {
  const guild = newGuildId();
  const world = JSON.parse(JSON.stringify(demoWorldSeed()).replaceAll(DEMO_GUILD_ID, guild)) as WorldSeed;
  const [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase(databaseName),
    startDiscordEmulator({ seed: world }),
  ]);
  const workers = await startTaskWorkers({
    env: temporal,
    db: database.db,
    emulator,
    variables: { ...variables, GUILD_IDS: guild },
  });
  return {
    guild,
    temporal,
    database,
    emulator,
    workers,
    async insertIdleCommand(creatorId, name) {
      await database.db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertOne(
        newCommandDoc({
          guildId: guild,
          name,
          content: 'x',
          creatorId,
          at: new Date(Date.now() - 70 * DAY_MS),
        }),
      );
    },
    async startRunWithHeldDm(delayMs) {
      emulator.control.addFault({ method: 'POST', path: '/channels/*/messages', kind: 'delay', delayMs });
      const started = await cli(['run', CLEANUP_TASK, '--guild', guild, '--json'], workers.variables);
      expect(started.err).toEqual([]);
      const { workflowId } = JSON.parse(started.out[0]!) as { workflowId: string };
      const left = await eventually(
        () => Promise.resolve(emulator.control.faults.list().length),
        (count) => count === 0,
        30_000,
      );
      expect(left).toBe(0);
      return workflowId;
    },
    async close() {
      await workers.shutdown();
      await Promise.allSettled([temporal.teardown(), database.drop(), emulator.close()]);
    },
  };
}
