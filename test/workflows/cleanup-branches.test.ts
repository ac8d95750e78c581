/**
 * Branches of the cleanup workflow that need no database and no Discord: the real
 * workflow code on the shared Temporal dev server, its activities replaced by mocks that
 * record each call. What the workflow asks for, and in what order, is the assertion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type {
  CleanupDataActivities,
  DiscordActivities,
  WarningLifecycleActivities,
} from '../../src/activities';
import { DEFAULT_POLICY } from '../../src/cleanup/policy';
import type { ClaimedPage } from '../../src/db/cleanup-store';
import { customCommandCleanup, type CleanupInput } from '../../src/workflows';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const GUILD = '111111111111111111';
const HOLDER = 'custom-command-cleanup:111111111111111111:by-hand';

type MockedActivities = Partial<CleanupDataActivities & WarningLifecycleActivities & DiscordActivities>;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createDevServerEnv();
});
afterAll(async () => env?.teardown());

/** Runs one cleanup on a worker whose activities are `mocks`; returns its result and the calls in order. */
async function runWithMocks(mocks: MockedActivities, input: Partial<CleanupInput> = {}) {
  const calls: string[] = [];
  const recorded = Object.fromEntries(
    Object.entries(mocks).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.push(name);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
  // One queue for both kinds of activity: the rate-capped Discord worker is not under test.
  const taskQueue = uniqueTaskQueue('cleanup-mocked');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: recorded,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(customCommandCleanup, {
      workflowId: `custom-command-cleanup:${GUILD}:${taskQueue}`,
      taskQueue,
      args: [
        {
          guildId: GUILD,
          policy: DEFAULT_POLICY,
          adminChannels: ['admin'],
          discordTaskQueue: taskQueue,
          ...input,
        },
      ],
    }),
  );
  return { result, calls };
}

/** One claimed page, the last, of these creators with their idle command counts. */
const page = (creators: [string, number][]): Promise<ClaimedPage> =>
  Promise.resolve({
    creators: creators.map(([creatorId, commands]) => ({ creatorId, commands })),
    nextCreatorId: null,
    skippedInvalid: 1,
  });

/** A run that takes the lease, sees no admin channel, and has nothing to repair or purge. */
const quietRun: MockedActivities = {
  acquireRunLock: () => Promise.resolve({ acquired: true }),
  preflight: () => Promise.resolve({ botUserId: '222222222222222222', guildName: 'Demo Guild' }),
  reconcileWarnings: () => Promise.resolve({ staleMarks: 0, unwarned: 0, overdue: 0 }),
  gatherRunStats: () =>
    Promise.resolve({
      stats: { activeCommands: 0, creators: 0, pendingDeletions: 0 },
      deletedSinceLastSummary: 0,
      countedUntil: 0,
      nextRunAt: null,
      incidents: { total: 0, listed: [] },
    }),
  purgeExpired: () => Promise.resolve({ archive: 0, notifications: 0, incidents: 0 }),
  releaseRunLock: () => Promise.resolve(),
};

describe('the cleanup workflow (mocked activities)', () => {
  it('a batch of warning DMs that fails as a whole is not retried: each of its creators is warned alone', async () => {
    const warnedAlone: string[] = [];
    const { result, calls } = await runWithMocks({
      ...quietRun,
      claimWarnPage: () =>
        page([
          ['444444444444444444', 2],
          ['555555555555555555', 3],
          ['666666666666666666', 1],
        ]),
      sendWarnings: () => Promise.reject(new Error('the worker lost its connection mid-batch')),
      sendWarning: (input) => {
        warnedAlone.push(input.creatorId);
        return Promise.resolve({
          outcome: { status: 'sent', messageIds: ['1'] },
          commands: 1,
          warnedAt: 1,
          deleteAt: 2,
        });
      },
      startGracePeriod: () => Promise.resolve({ commands: 1 }),
    });
    expect(calls.filter((name) => name === 'sendWarnings')).toHaveLength(1);
    expect(warnedAlone.sort()).toEqual(['444444444444444444', '555555555555555555', '666666666666666666']);
    expect(result).toMatchObject({ status: 'completed', warnedCreators: 3, failedDeliveries: 0 });
  });

  it('refused while another run holds the guild lease: no preflight, nothing claimed, the lease left to its holder', async () => {
    const { result, calls } = await runWithMocks({
      acquireRunLock: () => Promise.resolve({ acquired: false, heldBy: HOLDER }),
    });
    expect(calls).toEqual(['acquireRunLock']);
    expect(result).toMatchObject({
      status: 'refused',
      refusedBecause: `another cleanup run of this guild is in progress: ${HOLDER}`,
      warnedCreators: 0,
      summary: { status: 'not-needed' },
    });
  });

  it('a dry run counts who would be warned and posts nothing: no lease, no DM, no summary, no repair', async () => {
    const { result, calls } = await runWithMocks(
      {
        preflight: () =>
          Promise.resolve({
            botUserId: '222222222222222222',
            guildName: 'Demo Guild',
            adminChannel: { id: '333333333333333333', name: 'admin' },
          }),
        claimWarnPage: () =>
          page([
            ['444444444444444444', 2],
            ['555555555555555555', 3],
          ]),
        gatherRunStats: () =>
          Promise.resolve({
            stats: { activeCommands: 9, creators: 4, pendingDeletions: 0 },
            deletedSinceLastSummary: 0,
            countedUntil: 0,
            nextRunAt: null,
            incidents: { total: 0, listed: [] },
          }),
      },
      { dryRun: true },
    );
    // Any other step (a lease, a repair, a DM, a summary) has no activity registered: the run would not complete.
    expect(calls).toEqual(['preflight', 'claimWarnPage', 'gatherRunStats']);
    expect(result).toMatchObject({
      status: 'completed',
      dryRun: true,
      warnedCreators: 2,
      warnedCommands: 5,
      skippedInvalidDocuments: 1,
      summary: { status: 'skipped-dry-run' },
    });
  });
});
