/**
 * `starter run database-maintenance` end to end on the real servers (the Temporal dev
 * server, FerretDB, the Discord emulator), with every task's workers as production
 * wires them: indexes dropped from the database are created again and named in the
 * result, the admins get one short embed saying so, and a second run repairs nothing
 * and posts nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandStore } from '../../../src/db';
import { COLLECTIONS } from '../../../src/db/contract';
import { DECLARED_INDEXES, indexName, type CollectionKey } from '../../../src/db/indexes';
import { DEMO_CHANNELS, DEMO_GUILD_ID, DEMO_MEMBERS } from '../../../src/emulator';
import type { MaintenanceResult } from '../../../src/maintenance/model';
import { cli } from '../../starter/cli';
import { startMaintenanceServers, type MaintenanceServers } from './harness';

let servers: MaintenanceServers | undefined;
let first: MaintenanceResult & { workflowId: string };

const indexNames = async (collection: string) =>
  (await servers!.database.db.collection(collection).indexes()).map((i) => String(i.name));

const runMaintenance = (...flags: string[]) =>
  cli(
    ['run', 'database-maintenance', '--guild', DEMO_GUILD_ID, '--wait', ...flags],
    servers!.workers.variables,
  );

beforeAll(async () => {
  servers = await startMaintenanceServers('maintenance_indexes');
  const { db } = servers.database;
  const store = createCommandStore(db);
  for (const name of ['welcome', 'rules']) {
    await store.create(
      { guildId: DEMO_GUILD_ID, name, content: name, creatorId: DEMO_MEMBERS.alice },
      new Date(),
    );
  }
  // The workers' start created every index; one of the commands' goes, and all of the log's.
  await db.collection(COLLECTIONS.commands).dropIndex('guildId_1_lastUsedAt_1');
  await db.collection(COLLECTIONS.notifications).dropIndexes();
  expect(await indexNames(COLLECTIONS.notifications)).toEqual(['_id_']);

  const run = await runMaintenance('--json');
  expect(run.err).toEqual([]);
  first = JSON.parse(run.out[0]!) as typeof first;
});

afterAll(async () => {
  await servers?.close();
});

describe('database maintenance, indexes', () => {
  it('recreates the dropped indexes and names them in the result', async () => {
    expect(first.indexes.created).toEqual([
      { collection: COLLECTIONS.commands, name: 'guildId_1_lastUsedAt_1' },
      { collection: COLLECTIONS.notifications, name: 'createdAt_1' },
    ]);
    expect(first.indexes.problems).toEqual([]);
    for (const [key, declared] of Object.entries(DECLARED_INDEXES) as [
      CollectionKey,
      { key: Record<string, 1> }[],
    ][]) {
      expect(await indexNames(COLLECTIONS[key])).toEqual(expect.arrayContaining(declared.map(indexName)));
    }
  });

  it('tells the admins once, naming what it repaired', async () => {
    expect(first.adminReport).toEqual({ status: 'posted', channelId: DEMO_CHANNELS.admin });
    const posted = await servers!.adminEmbeds();
    expect(posted).toHaveLength(1);
    const [embed] = posted[0]!;
    expect(embed!.title).toBe('Database maintenance');
    expect(embed!.fields?.find((f) => f.name === 'Indexes recreated')?.value).toBe(
      '`custom_commands.guildId_1_lastUsedAt_1`\n`notifications.createdAt_1`',
    );
  });

  it('reports the guild’s documents and the sizes the database tells', () => {
    const commands = first.inspection.collections.find((c) => c.collection === COLLECTIONS.commands);
    expect(commands).toMatchObject({ guildDocuments: 2, documents: 2, indexes: 7 });
    expect(commands!.dataBytes).toBeGreaterThan(0);
    expect(first.inspection.sizesUnavailable).toBeUndefined();
    expect(first.inspection).toMatchObject({ invalidCommands: 0, overdueWarnings: 0 });
  });

  it('repairs nothing and posts nothing on a second run', async () => {
    const run = await runMaintenance();
    expect(run.err).toEqual([]);
    const text = run.out.join('\n');
    expect(text).toMatch(/indexes: \d+ verified, recreated: none/);
    expect(text).toContain('admin report: not-needed');
    expect(text).toMatch(/custom_commands: 2 \/ 2, /);
    expect(await servers!.adminEmbeds()).toHaveLength(1);
  });
});
