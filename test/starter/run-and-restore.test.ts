/**
 * `starter run` and `starter restore` end to end: the CLI starts the real cleanup
 * workflow on the dev server, run by real workers in this process (the workflow
 * bundle and the MongoDB activities on the main task queue, the Discord activities
 * against the Discord emulator on the Discord queue), on a FerretDB test database.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporalScheduleReader } from '../../src/activities';
import { createCleanupActivities } from '../../src/activities/wiring';
import { CLEANUP_TASK, DEFAULT_POLICY, graceWorkflowId } from '../../src/cleanup/policy';
import {
  COLLECTIONS,
  newCommandDoc,
  type ArchivedCommand,
  type CommandStore,
  type CustomCommandDoc,
} from '../../src/db';
import { createDiscordGateway } from '../../src/discord';
import {
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { cli, newGuildId, type CliEnv } from './cli';
import { DAY_MS } from '../../src/duration';

const { alice, bob, carol } = DEMO_MEMBERS;

let temporal: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let store: CommandStore;
let workers: { shutdown(): void; running: Promise<unknown> } | undefined;
const taskQueue = uniqueTaskQueue('starter-run');
const discordTaskQueue = `${taskQueue}-discord`;

beforeAll(async () => {
  [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('starter'),
    startDiscordEmulator(),
  ]);
  const activities = await createCleanupActivities({
    db: database.db,
    temporal: temporal.client,
    discord: createDiscordGateway({ token: emulator.token, apiUrl: emulator.apiUrl }),
    schedules: temporalScheduleReader(temporal.client),
    taskQueue,
    archiveRetentionMs: 365 * DAY_MS,
  });
  store = activities.store;

  const main = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: activities.data,
  });
  const discord = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue: discordTaskQueue,
    activities: activities.discord,
  });
  workers = {
    running: Promise.all([main.run(), discord.run()]),
    shutdown: () => {
      main.shutdown();
      discord.shutdown();
    },
  };
});

afterAll(async () => {
  workers?.shutdown();
  await workers?.running.catch(() => undefined);
  await Promise.allSettled([temporal?.teardown(), database?.drop(), emulator?.close()]);
});

beforeEach(async () => {
  await Promise.all(Object.values(COLLECTIONS).map((name) => database.db.collection(name).deleteMany({})));
  emulator.control.reset();
});

const env = (): CliEnv => ({
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  MONGODB_URI: inject('mongodbUri'),
  MONGODB_DB: database.db.databaseName,
  GUILD_IDS: `${newGuildId()},${newGuildId()}`,
  TASK_QUEUE: taskQueue,
  DISCORD_TASK_QUEUE: discordTaskQueue,
});

const commands = () => database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);
const archive = () => database.db.collection<ArchivedCommand>(COLLECTIONS.archive);

async function seedCommand(guildId: string, name: string, creatorId: string, idleDays: number) {
  const at = new Date(Date.now() - idleDays * DAY_MS);
  await commands().insertOne(
    newCommandDoc({ guildId, name, content: `content of ${name}`, creatorId, at, useCount: 2 }),
  );
}

/**
 * A command deleted by the cleanup as it really happens: created long ago, warned,
 * then deleted at its deadline by the store's conditional delete (which archives it).
 */
async function deletedByCleanup(guildId: string, name: string, creatorId: string, content: string) {
  const now = Date.now();
  const created = await store.create({ guildId, name, content, creatorId }, new Date(now - 200 * DAY_MS));
  const page = await store.findWarnBatch(guildId, new Date(now - DEFAULT_POLICY.warnAfterMs), null, 100);
  const ref = page.batches.flatMap((b) => b.commands).find((c) => c.id === created.id)!;
  const warnedAt = now - 31 * DAY_MS;
  const warning = {
    warnedAt,
    deleteAfter: now - DAY_MS,
    runKey: 'earlier-run',
    graceWorkflowId: 'earlier-grace',
  };
  expect(await store.recordWarning(guildId, [ref], warning)).toHaveLength(1);
  const outcome = await store.deleteIfStillIdle(
    guildId,
    ref,
    warnedAt,
    new Date(now - DEFAULT_POLICY.deleteAfterMs),
    new Date(now - DAY_MS),
  );
  expect(outcome.status).toBe('deleted');
  return created;
}

/** Everything the cleanup could change, in a comparable form. */
async function snapshot() {
  const all = (name: string) => database.db.collection(name).find().sort({ _id: 1 }).toArray();
  return Object.fromEntries(
    await Promise.all(Object.values(COLLECTIONS).map(async (name) => [name, await all(name)] as const)),
  );
}

describe('starter run', () => {
  it('--dry-run --wait --json runs the real cleanup, prints one JSON result, changes and sends nothing', async () => {
    await deletedByCleanup(DEMO_GUILD_ID, 'gone-yesterday', carol, 'bye');
    await seedCommand(DEMO_GUILD_ID, 'idle-one', alice, 70);
    await seedCommand(DEMO_GUILD_ID, 'idle-two', alice, 120);
    await seedCommand(DEMO_GUILD_ID, 'idle-three', bob, 61);
    await seedCommand(DEMO_GUILD_ID, 'dms-closed', DEMO_DMS_CLOSED_USER_ID, 90);
    await seedCommand(DEMO_GUILD_ID, 'fresh', carol, 59);
    await seedCommand(newGuildId(), 'other-guild', alice, 300);
    const before = await snapshot();
    const startedAt = Date.now();

    const run = await cli(
      ['run', CLEANUP_TASK, '--guild', DEMO_GUILD_ID, '--dry-run', '--wait', '--json'],
      env(),
    );

    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    const result = JSON.parse(run.out[0]!) as Record<string, unknown> & { workflowId: string };
    expect(result).toMatchObject({
      guildId: DEMO_GUILD_ID,
      dryRun: true,
      warnedCreators: 3,
      warnedCommands: 4,
      deletedCommands: 1,
      failedDeliveries: 0,
      failures: [],
      skippedInvalidDocuments: 0,
      summary: { status: 'skipped-dry-run' },
    });
    expect(result.workflowId.startsWith(`${CLEANUP_TASK}:${DEMO_GUILD_ID}:manual-`)).toBe(true);
    // The run really happened on the server, with the input the CLI gave it.
    const description = await temporal.client.workflow.getHandle(result.workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.taskQueue).toBe(taskQueue);
    expect(description.startTime.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    // Nothing sent, nothing changed, no grace period started.
    expect(emulator.control.messages()).toEqual([]);
    expect(await snapshot()).toEqual(before);
    for (const creator of [alice, bob, DEMO_DMS_CLOSED_USER_ID]) {
      await expect(
        temporal.client.workflow
          .getHandle(graceWorkflowId(DEMO_GUILD_ID, creator, result.workflowId))
          .describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
  });
});

describe('starter restore', () => {
  it('puts an archived command back under its id, once', async () => {
    const guild = newGuildId();
    const deleted = await deletedByCleanup(guild, 'vanished', bob, 'Hello **again**');
    expect(await commands().countDocuments({ guildId: guild })).toBe(0);

    const run = await cli(['restore', '--guild', guild, '--name', 'Vanished'], env());

    expect(run).toEqual({
      code: 0,
      out: [`restored 'vanished' in guild ${guild} (creator ${bob})`],
      err: [],
    });
    const restored = await commands().findOne({ guildId: guild, name: 'vanished' });
    expect(restored).toMatchObject({ content: 'Hello **again**', creatorId: bob });
    expect(restored!._id.toHexString()).toBe(deleted.id);
    // Comes back as just used: not warned again at once.
    expect(Date.now() - restored!.lastUsedAt.getTime()).toBeLessThan(60_000);
    const entry = await archive().findOne({ commandId: deleted.id });
    expect(entry!.restoredAt).toBeInstanceOf(Date);

    // Restored already: nothing is left to restore.
    const again = await cli(['restore', '--guild', guild, '--name', 'vanished'], env());
    expect(again.code).not.toBe(0);
    expect(again.out).toEqual([]);
    expect(again.err).toEqual(['No deleted command named "vanished" is archived for this server.']);
    expect(await commands().countDocuments({ guildId: guild })).toBe(1);
  });

  it('fails clearly when nothing of that name is archived', async () => {
    const guild = newGuildId();
    await deletedByCleanup(guild, 'something-else', alice, 'x');

    const run = await cli(['restore', '--guild', guild, '--name', 'never-existed'], env());

    expect(run.code).toBe(1);
    expect(run.err).toEqual(['No deleted command named "never-existed" is archived for this server.']);
    expect(await commands().countDocuments({ guildId: guild })).toBe(0);
  });
});
