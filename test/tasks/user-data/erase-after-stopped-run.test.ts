/**
 * An erase after a cleanup run was cancelled mid-DM, on the real servers (dev server,
 * FerretDB, the Discord emulator through discord.js): the run closes at once, but the
 * warning DM it had started is still on its way (the emulator holds it) and lands after
 * the erase's first pass. The erase's wait for cleanup runs finds the stopped run and waits
 * out its activities' timeout past its close before erasing again.
 * The activity runs in a mock activity context with the wait injected: the production wait
 * is ten minutes; the test's ends once the held DM has landed. And a run without a lease is
 * still found while it runs, through the runs the Web UI lists.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUserDataEraseActivities } from '../../../src/activities/user-data-erase';
import { CLEANUP_TASK } from '../../../src/cleanup/policy';
import { DEMO_MEMBERS } from '../../../src/emulator';
import { COLLECTIONS } from '../../../src/db';
import { cleanupRunsInProgress, DRAIN_MARGIN_MS } from '../../../src/user-data/cleanup-runs';
import { discordActivityOptions } from '../../../src/workflows/activity-options';
import { countUserRecords } from '../../../src/user-data/store';
import { cli, eventually, newGuildId } from '../../starter/cli';
import { startGuildStack, type GuildStack } from './guild-stack';

const { alice: user, bob } = DEMO_MEMBERS;
const DM_DELAY_MS = 15_000;
const otherGuild = newGuildId();

let stack: GuildStack;

beforeAll(async () => {
  stack = await startGuildStack('erase_after_stopped_run');
});

afterAll(async () => {
  await stack?.close();
});

it('waits out the activities of a run cancelled mid-DM, then the second pass leaves nothing about the user', async () => {
  const { guild, temporal, database, emulator, workers } = stack;
  await stack.insertIdleCommand(user, 'idle-one');
  // Cancelled once the warning DM is on its way (the emulator holds it).
  const runId = await stack.startRunWithHeldDm(DM_DELAY_MS);
  const run = temporal.client.workflow.getHandle(runId);
  await run.cancel();
  await run.result().catch(() => undefined);
  const closed = await run.describe();
  expect(closed.status.name).toBe('CANCELLED');
  expect(emulator.control.messages({ recipientId: user })).toHaveLength(0);

  // The erase's first pass, then its wait for cleanup runs.
  /** The instants the activity waited until. */
  const waits: number[] = [];
  const activities = createUserDataEraseActivities({
    db: database.db,
    temporal: temporal.client,
    backupDir: '/nonexistent',
    taskQueue: workers.taskQueue,
    sleep: async (ms) => {
      waits.push(Date.now() + ms);
      await eventually(
        () => Promise.resolve(emulator.control.messages({ recipientId: user }).length),
        (dms) => dms > 0,
        30_000,
      );
    },
  });
  const scope = { userId: user, guildId: guild };
  const mock = new MockActivityEnvironment();
  type Scope = Parameters<typeof activities.userDataEraseRecords>[0];
  const userDataEraseRecords = (input: Scope) => activities.userDataEraseRecords(input);
  const userDataAwaitCleanupRuns = (input: Scope) => activities.userDataAwaitCleanupRuns(input);
  await mock.run(userDataEraseRecords, scope);
  const firstPassDone = Date.now();
  const awaited = await mock.run(userDataAwaitCleanupRuns, scope);

  expect(awaited).toEqual({ runKeys: [runId], stillRunning: [] });
  // One wait: the run left its DM activity running; until its timeout and the margin past the close.
  const leftRunningMs = msToNumber(discordActivityOptions('').startToCloseTimeout!);
  expect(waits).toHaveLength(1);
  expect(Math.abs(waits[0]! - (closed.closeTime!.getTime() + leftRunningMs + DRAIN_MARGIN_MS))).toBeLessThan(
    2_000,
  );
  // The stopped run's DM landed after the first pass: what the wait is for.
  const [dm] = emulator.control.messages({ recipientId: user });
  expect(Date.parse(dm!.timestamp)).toBeGreaterThan(firstPassDone);

  await mock.run(userDataEraseRecords, scope);
  expect(Object.values(await countUserRecords(database.db, scope)).every((count) => count === 0)).toBe(true);

  // Another guild's erase has no stopped run to wait for.
  const elsewhere = await mock.run(userDataAwaitCleanupRuns, {
    userId: user,
    guildId: otherGuild,
  });
  expect(elsewhere).toEqual({ runKeys: [], stillRunning: [] });
  expect(waits).toHaveLength(1);
}, 90_000);

it('finds a run in progress that holds no lease (the oldest version, or one giving it back as it is cancelled), on this task queue only', async () => {
  const { guild, temporal, database, workers } = stack;
  await stack.insertIdleCommand(bob, 'idle-two');
  const runId = await stack.startRunWithHeldDm(4_000);
  await database.db.collection(COLLECTIONS.locks).deleteOne({ _id: guild } as object);

  const scope = { userId: bob, guildId: guild, taskQueue: workers.taskQueue };
  const found = await eventually(
    () => cleanupRunsInProgress(database.db, temporal.client, scope),
    (ids) => ids.length > 0,
  );
  expect(found).toEqual([runId]);
  expect(
    await cleanupRunsInProgress(database.db, temporal.client, { ...scope, taskQueue: 'another-bot' }),
  ).toEqual([]);
  await temporal.client.workflow.getHandle(runId).result();
}, 60_000);

it('does not wait for a run that failed before any DM (a guild the bot cannot see): it left nothing running', async () => {
  const { temporal, database, workers } = stack;
  const unseen = newGuildId();
  const started = await cli(['run', CLEANUP_TASK, '--guild', unseen, '--json'], workers.variables);
  expect(started.err).toEqual([]);
  const { workflowId: runId } = JSON.parse(started.out[0]!) as { workflowId: string };
  const run = temporal.client.workflow.getHandle(runId);
  await run.result().catch(() => undefined);
  expect((await run.describe()).status.name).toBe('FAILED');

  const waits: number[] = [];
  const activities = createUserDataEraseActivities({
    db: database.db,
    temporal: temporal.client,
    backupDir: '/nonexistent',
    taskQueue: workers.taskQueue,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  const scope = { userId: user, guildId: unseen };
  const awaited = await new MockActivityEnvironment().run(
    (input: typeof scope) => activities.userDataAwaitCleanupRuns(input),
    scope,
  );
  expect(awaited).toEqual({ runKeys: [], stillRunning: [] });
  expect(waits).toEqual([]);
}, 60_000);
