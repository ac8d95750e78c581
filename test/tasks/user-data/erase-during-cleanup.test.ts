/**
 * An erase while a cleanup run of the guild is warning the user, on the real servers (dev
 * server, FerretDB, the Discord emulator through discord.js). The run has read the user's
 * commands and its warning DM is still on its way (the emulator holds it 11 s) when the erase
 * deletes the user's records. The erase must not report done while that run can still DM the
 * user or write about them: it waits for the run, then erases again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CLEANUP_TASK } from '../../../src/cleanup/policy';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../../src/db';
import { DAY_MS } from '../../../src/duration';
import {
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  demoWorldSeed,
  startDiscordEmulator,
  type DiscordEmulator,
  type WorldSeed,
} from '../../../src/emulator';
import { CREATOR_ID } from '../../../src/search-attributes';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { startTaskWorkers, type TaskWorkersHarness } from '../../helpers/task-workers';
import { createDevServerEnv } from '../../helpers/temporal';
import { cli, newGuildId } from '../../starter/cli';

const { alice: user } = DEMO_MEMBERS;
const DM_DELAY_MS = 11_000;
/**
 * The demo guild under an id of its own: `starter run` refuses a second cleanup run of a
 * guild while one is in progress on the dev server, and other test files run the demo
 * guild's cleanup beside this one's long run.
 */
const guild = newGuildId();
const world = JSON.parse(JSON.stringify(demoWorldSeed()).replaceAll(DEMO_GUILD_ID, guild)) as WorldSeed;

let temporal: TestWorkflowEnvironment;
let database: TestDatabase;
let emulator: DiscordEmulator;
let workers: TaskWorkersHarness;
let dir: string;

beforeAll(async () => {
  [temporal, database, emulator] = await Promise.all([
    createDevServerEnv(),
    createTestDatabase('erase_during_cleanup'),
    startDiscordEmulator({ seed: world }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'erase-during-cleanup-'));
  workers = await startTaskWorkers({
    env: temporal,
    db: database.db,
    emulator,
    variables: { BACKUP_DIR: join(dir, 'backups'), GUILD_IDS: guild },
  });
});

afterAll(async () => {
  await workers?.shutdown();
  await Promise.allSettled([
    temporal?.teardown(),
    database?.drop(),
    emulator?.close(),
    rm(dir, { recursive: true }),
  ]);
});

const run = (...argv: string[]) => cli(argv, workers.variables);

/** Collections holding a document whose JSON mentions the user. */
async function collectionsMentioningUser(): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await database.db.listCollections().toArray()) {
    const documents = await database.db.collection(name).find().toArray();
    if (documents.some((doc) => JSON.stringify(doc).includes(user))) found.push(name);
  }
  return found.sort();
}

it('an erase while a run is DMing the user waits for the run, then leaves nothing about the user', async () => {
  const idle = new Date(Date.now() - 70 * DAY_MS);
  await database.db
    .collection<CustomCommandDoc>(COLLECTIONS.commands)
    .insertOne(newCommandDoc({ guildId: guild, name: 'idle-one', content: 'x', creatorId: user, at: idle }));
  emulator.control.addFault({
    method: 'POST',
    path: '/channels/*/messages',
    kind: 'delay',
    delayMs: DM_DELAY_MS,
  });

  const started = await run('run', CLEANUP_TASK, '--guild', guild, '--json');
  expect(started.err).toEqual([]);
  const { workflowId: runId } = JSON.parse(started.out[0]!) as { workflowId: string };
  // The warning DM is on its way: the emulator holds it.
  for (let i = 0; i < 300 && emulator.control.faults.list().length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(emulator.control.faults.list()).toEqual([]);
  expect(emulator.control.messages({ recipientId: user })).toHaveLength(0);

  const erased = await run('user-data', 'erase', '--user', user, '--yes', '--json');
  const erasedAt = Date.now();

  expect(erased.err).toEqual([]);
  expect(JSON.parse(erased.out[0]!)).toMatchObject({ userId: user, cleanupRunsAwaited: 1 });
  // The run had ended before the erase reported done: its DM went out before, none can follow.
  expect((await temporal.client.workflow.getHandle(runId).describe()).status.name).toBe('COMPLETED');
  const dms = emulator.control.messages({ recipientId: user });
  expect(dms).toHaveLength(1);
  expect(Date.parse(dms[0]!.timestamp)).toBeLessThanOrEqual(erasedAt);
  // Whatever the run wrote after the first pass (the DM's record, the warning) is gone too.
  expect(await collectionsMentioningUser()).toEqual([]);
  const graceWorkflows = temporal.client.workflow.list({
    query: `${CREATOR_ID.name} = '${user}' AND ExecutionStatus = 'Running'`,
  });
  const running: string[] = [];
  for await (const execution of graceWorkflows) running.push(execution.workflowId);
  expect(running).toEqual([]);
}, 60_000);
