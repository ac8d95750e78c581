/**
 * A whole cleanup cycle the way an operator runs it: the real worker process and the
 * starter CLI against the Temporal dev server, FerretDB and the Discord emulator,
 * with short durations from the environment. The schedule is created and triggered
 * by the starter; the worker is killed (SIGKILL) in the middle of the warning phase
 * and another one takes over. The emulator must end up holding exactly one warning
 * DM and one deletion DM per creator and one admin summary: nothing lost, nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { APIEmbed } from 'discord.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../src/db';
import {
  DEMO_CHANNELS,
  DEMO_GUILD_ID,
  DEMO_MEMBERS,
  demoWorldSeed,
  startDiscordEmulator,
  type DiscordEmulator,
} from '../../src/emulator';
import { cleanupScheduleId } from '../../src/cleanup/policy';
import { ALL_BUT_THE_CLEANUP } from '../helpers/tasks';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { runEntryPoint, runStarter, type ChildRun } from '../helpers/processes';

/** Extra members, so the warning phase lasts long enough to kill the worker in its middle. */
const extraCreators = Array.from({ length: 8 }, (_, i) => `12000000000000000${10 + i}`);
const creators = [DEMO_MEMBERS.alice, DEMO_MEMBERS.bob, DEMO_MEMBERS.carol, ...extraCreators];

let emulator: DiscordEmulator;
let database: TestDatabase;
let env: TestWorkflowEnvironment;
let childEnv: NodeJS.ProcessEnv;
const workers: ChildRun[] = [];
const logFile = path.join(os.tmpdir(), `cleanup-cycle-worker-${process.pid}.log`);

beforeAll(async () => {
  const seed = demoWorldSeed();
  const users = (seed.users ??= []);
  const members = (seed.guilds![0]!.members ??= []);
  for (const id of extraCreators) {
    users.push({
      id,
      username: `member${id.slice(-2)}`,
      global_name: `Member ${id.slice(-2)}`,
      dms_closed: false,
    });
    members.push({ user_id: id, roles: [] });
  }
  [emulator, database, env] = await Promise.all([
    startDiscordEmulator({ seed }),
    createTestDatabase('cycle'),
    createDevServerEnv(),
  ]);
  const taskQueue = uniqueTaskQueue('cycle');
  childEnv = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    MONGODB_URI: inject('mongodbUri'),
    MONGODB_DB: database.db.databaseName,
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    // About one DM per second, so the warning phase spans several seconds.
    DISCORD_REQUESTS_PER_SECOND: '2',
    GUILD_IDS: DEMO_GUILD_ID,
    TASK_QUEUE: taskQueue,
    DISCORD_TASK_QUEUE: `${taskQueue}-discord`,
    CLEANUP_WARN_AFTER: '5s',
    CLEANUP_DELETE_AFTER: '6s',
    CLEANUP_GRACE_PERIOD: '8s',
    // Never due during the test: runs come from `trigger` only.
    CLEANUP_SCHEDULE: '0 0 1 1 *',
    // The cleanup alone: the other tasks would post in the admin channel too.
    TASKS_DISABLED: ALL_BUT_THE_CLEANUP,
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await env?.client.schedule
    .getHandle(cleanupScheduleId(DEMO_GUILD_ID))
    .delete()
    .catch(() => undefined);
  await Promise.allSettled([emulator?.close(), database?.drop(), env?.teardown()]);
});

function startWorker(): ChildRun {
  const worker = runEntryPoint('src/worker.ts', [], childEnv, logFile);
  workers.push(worker);
  return worker;
}

async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (worker log: ${logFile})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const titleOf = (embeds: unknown[]) => (embeds as APIEmbed[])[0]?.title ?? '';

describe('a cleanup cycle through the Schedule, with a worker killed mid-run', () => {
  it('sends one warning and one deletion DM per creator and one summary, nothing else', async () => {
    const now = Date.now();
    const docs: CustomCommandDoc[] = creators.flatMap((creatorId, i) =>
      [0, 1].map((k) =>
        newCommandDoc({
          guildId: DEMO_GUILD_ID,
          name: `cmd-${i}-${k}`,
          content: `content ${i}-${k}`,
          creatorId,
          at: new Date(now - 60_000),
          useCount: 1,
        }),
      ),
    );
    await database.db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertMany(docs);

    const first = startWorker();
    await first.waitFor(/worker running/, 60_000);
    const scheduled = await runStarter(['schedule'], childEnv);
    expect(scheduled.code, scheduled.output).toBe(0);
    expect(scheduled.output).toMatch(/(created|updated)\s+custom-command-cleanup:/);
    const triggered = await runStarter(['trigger'], childEnv);
    expect(triggered.code, triggered.output).toBe(0);

    // Kill the worker once the first warning DMs are out and others are not yet.
    const warnings = () =>
      emulator.control.messages().filter((m) => m.recipient_id && titleOf(m.embeds).includes('Warning'));
    await until(() => warnings().length >= 2, 60_000, 'the first warning DMs');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(warnings().length).toBeLessThan(creators.length);

    const second = startWorker();
    await second.waitFor(/worker running/, 60_000);

    // Every command is deleted after its grace period, and every creator told.
    const commands = database.db.collection(COLLECTIONS.commands);
    await until(
      async () => (await commands.countDocuments({ guildId: DEMO_GUILD_ID })) === 0,
      150_000,
      'the deletions',
    );
    const deletionDms = () =>
      emulator.control.messages().filter((m) => m.recipient_id && titleOf(m.embeds).includes('Deleted'));
    await until(() => deletionDms().length >= creators.length, 60_000, 'the deletion DMs');
    // Let any straggler (a duplicate, if there were one) arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const messages = emulator.control.messages();
    const byRecipient = new Map<string, string[]>();
    for (const m of messages.filter((m) => m.recipient_id)) {
      byRecipient.set(m.recipient_id!, [...(byRecipient.get(m.recipient_id!) ?? []), titleOf(m.embeds)]);
    }
    expect([...byRecipient.keys()].sort()).toEqual([...creators].sort());
    for (const creator of creators) {
      const titles = byRecipient.get(creator)!;
      expect(titles, `DMs to ${creator}`).toHaveLength(2);
      expect(titles[0]).toContain('Warning');
      expect(titles[1]).toContain('Deleted');
    }
    const channelMessages = messages.filter((m) => !m.recipient_id);
    expect(channelMessages).toHaveLength(1);
    expect(channelMessages[0]!.channel_id).toBe(DEMO_CHANNELS.admin);
    expect(titleOf(channelMessages[0]!.embeds)).toContain('Summary');
    expect(messages).toHaveLength(2 * creators.length + 1);

    const archived = await database.db
      .collection(COLLECTIONS.archive)
      .countDocuments({ deletedAt: { $exists: true } });
    expect(archived).toBe(docs.length);
  }, 300_000);
});
