/** The real servers of a maintenance test file, and what the tests read back from them. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEMO_CHANNELS, startDiscordEmulator, type DiscordEmulator } from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';

export interface PostedEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string }[];
}

export interface MaintenanceServers {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  emulator: DiscordEmulator;
  workers: TaskWorkersHarness;
  backupDir: string;
  /** The embeds of every message in the demo guild's admin channel so far. */
  adminEmbeds(): Promise<PostedEmbed[][]>;
  close(): Promise<void>;
}

export async function startMaintenanceServers(prefix: string): Promise<MaintenanceServers> {
  const backupDir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-backups-`));
  const [env, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase(prefix),
    startDiscordEmulator(),
  ]);
  const workers = await startTaskWorkers({
    env,
    db: database.db,
    emulator,
    variables: { BACKUP_DIR: backupDir },
  });
  return {
    env,
    database,
    emulator,
    workers,
    backupDir,
    async adminEmbeds() {
      const response = await fetch(`${emulator.url}/_emulator/messages?channel_id=${DEMO_CHANNELS.admin}`);
      const { messages } = (await response.json()) as { messages: { embeds: PostedEmbed[] }[] };
      return messages.map((m) => m.embeds);
    },
    async close() {
      await workers.shutdown();
      await Promise.allSettled([env.teardown(), database.drop(), emulator.close()]);
      await rm(backupDir, { recursive: true, force: true });
    },
  };
}
