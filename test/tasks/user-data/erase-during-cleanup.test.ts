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
import { DEMO_MEMBERS } from '../../../src/emulator';
import { CREATOR_ID } from '../../../src/search-attributes';
import { cli } from '../../starter/cli';
import { startGuildStack, type GuildStack } from './guild-stack';

const { alice: user } = DEMO_MEMBERS;
const DM_DELAY_MS = 11_000;

let stack: GuildStack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'erase-during-cleanup-'));
  stack = await startGuildStack('erase_during_cleanup', { BACKUP_DIR: join(dir, 'backups') });
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true });
});

const run = (...argv: string[]) => cli(argv, stack.workers.variables);

/** Collections holding a document whose JSON mentions the user. */
async function collectionsMentioningUser(): Promise<string[]> {
  const found: string[] = [];
  const { db } = stack.database;
  for (const { name } of await db.listCollections().toArray()) {
    const documents = await db.collection(name).find().toArray();
    if (documents.some((doc) => JSON.stringify(doc).includes(user))) found.push(name);
  }
  return found.sort();
}

it('an erase while a run is DMing the user waits for the run, then leaves nothing about the user', async () => {
  const { temporal, emulator } = stack;
  await stack.insertIdleCommand(user, 'idle-one');
  // The warning DM is on its way: the emulator holds it.
  const runId = await stack.startRunWithHeldDm(DM_DELAY_MS);
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
