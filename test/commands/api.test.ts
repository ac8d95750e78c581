/**
 * The bot-side API on the dev server and FerretDB: a use or an edit of a warned
 * command signals its grace workflow, which then keeps it; with no workflow (never
 * warned, or already finished) the same calls are harmless.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCleanupActivities } from '../../src/activities/wiring';
import { createDiscordGateway } from '../../src/discord';
import { DEFAULT_POLICY, graceWorkflowId } from '../../src/cleanup/policy';
import { createCustomCommandsApi } from '../../src/commands/api';
import { COLLECTIONS, createCommandStore, type CustomCommandDoc } from '../../src/db';
import { customCommandGrace, graceStatusQuery } from '../../src/workflows';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { HOUR_MS } from '../../src/duration';

const GUILD = '1196423538278531072';
const CREATOR = '1196423567638659079';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('api');

beforeAll(async () => {
  [env, database] = await Promise.all([createDevServerEnv(), createTestDatabase('api')]);
  const activities = await createCleanupActivities({
    db: database.db,
    temporal: env.client,
    // No Discord work in these tests: the grace workflows only wait for signals.
    discord: createDiscordGateway({ token: 'unused', apiUrl: 'http://127.0.0.1:9/api' }),
    schedules: { nextRunAt: () => Promise.resolve(null) },
    taskQueue,
    archiveRetentionMs: HOUR_MS,
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: activities.data,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await database?.drop();
  await env?.teardown();
});

const api = () => createCustomCommandsApi({ store: createCommandStore(database.db), temporal: env.client });
const commands = () => database.db.collection<CustomCommandDoc>(COLLECTIONS.commands);

/** Creates a command and puts it under a pending warning with a grace workflow (deadline in an hour). */
async function warn(name: string, runKey: string) {
  const created = await api().create({ guildId: GUILD, name, content: `say ${name}`, creatorId: CREATOR });
  const doc = (await commands().findOne({ name }))!;
  const warnedAt = Date.now();
  const workflowId = graceWorkflowId(GUILD, CREATOR, runKey);
  const ref = {
    id: created.id,
    name,
    lastUsedAt: doc.lastUsedAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
  };
  await createCommandStore(database.db).recordWarning(GUILD, [ref], {
    warnedAt,
    deleteAfter: warnedAt + HOUR_MS,
    runKey,
    graceWorkflowId: workflowId,
  });
  const handle = await env.client.workflow.start(customCommandGrace, {
    workflowId,
    taskQueue,
    args: [
      {
        guildId: GUILD,
        guildName: 'Demo Guild',
        creatorId: CREATOR,
        runKey,
        warnedAt,
        deleteAt: warnedAt + HOUR_MS,
        commands: [ref],
        policy: DEFAULT_POLICY,
        discordTaskQueue: `${taskQueue}-discord`,
      },
    ],
  });
  return handle;
}

describe('bot-side API (dev server + FerretDB)', () => {
  it('a use cancels the pending deletion: the grace workflow keeps the command', async () => {
    const grace = await warn('greet', `run-use-${taskQueue}`);
    expect((await grace.query(graceStatusQuery)).commands[0]!.fate).toBe('pending');
    const used = await api().recordUse(GUILD, 'greet');
    expect(used?.useCount).toBe(1);
    expect(await grace.result()).toMatchObject({ deleted: [], kept: ['greet'] });
    expect(await commands().findOne({ name: 'greet' })).not.toHaveProperty('cleanup');
  });

  it('an edit cancels the pending deletion too', async () => {
    const grace = await warn('rules', `run-edit-${taskQueue}`);
    const edited = await api().edit(GUILD, 'rules', 'new rules');
    expect(edited?.content).toBe('new rules');
    expect(await grace.result()).toMatchObject({ deleted: [], kept: ['rules'] });
  });

  it('is safe when the grace workflow no longer exists or never did', async () => {
    await api().create({ guildId: GUILD, name: 'plain', content: 'x', creatorId: CREATOR });
    expect(await api().recordUse(GUILD, 'plain')).not.toBeNull();
    // A warning whose workflow is gone (e.g. a finished one) must not make the use fail.
    await commands().updateOne(
      { name: 'plain' },
      {
        $set: {
          cleanup: {
            warnedAt: new Date(),
            deleteAfter: new Date(Date.now() + HOUR_MS),
            runKey: 'gone',
            graceWorkflowId: 'custom-command-grace:does-not-exist',
          },
        },
      },
    );
    expect((await api().recordUse(GUILD, 'plain'))?.useCount).toBe(2);
    expect(await commands().findOne({ name: 'plain' })).not.toHaveProperty('cleanup');
    expect(await api().recordUse(GUILD, 'no-such-command')).toBeNull();
    expect(await api().remove(GUILD, 'plain')).toBe(true);
    expect(await api().list(GUILD)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ name: 'plain' })]),
    );
  });
});
