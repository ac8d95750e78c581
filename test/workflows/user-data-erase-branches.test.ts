/**
 * The erase workflow's order with its activities mocked (no database, no Discord): the
 * real workflow code on the shared dev server; each mock records its call. The second
 * pass must follow the wait for cleanup runs even when no run was found, since a run that
 * read the user's commands may have ended, its writes done, between the first pass and
 * the look for runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { UserDataEraseActivities } from '../../src/activities';
import { userDataErase } from '../../src/workflows';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

const USER = '211111111111111111';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createDevServerEnv();
});
afterAll(async () => env?.teardown());

async function eraseWithMocks(awaitRuns: UserDataEraseActivities['userDataAwaitCleanupRuns']) {
  const calls: string[] = [];
  const mocks: UserDataEraseActivities = {
    userDataCount: () => Promise.reject(new Error('not a dry run')),
    userDataCancelGraceWorkflows: () => (calls.push('cancel'), Promise.resolve(0)),
    userDataEraseRecords: () => (calls.push('erase'), Promise.resolve({ commands: 1 })),
    userDataAwaitCleanupRuns: (input) => (
      calls.push(`await ${input.runKeys?.join(',') ?? 'new'}`),
      awaitRuns(input)
    ),
    userDataEraseBackups: () => (calls.push('backups'), Promise.resolve({ files: 0, records: 0 })),
  };
  const taskQueue = uniqueTaskQueue('erase-mocked');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: mocks,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(userDataErase, {
      workflowId: `user-data-erase:${USER}:${taskQueue}`,
      taskQueue,
      args: [{ userId: USER, guildId: null, dryRun: false }],
    }),
  );
  return { result, calls };
}

it('erases a second time after looking for cleanup runs, also when none was running (activities mocked)', async () => {
  const { result, calls } = await eraseWithMocks(() => Promise.resolve({ runKeys: [], stillRunning: [] }));

  expect(calls).toEqual(['cancel', 'erase', 'await new', 'cancel', 'erase', 'backups']);
  expect(result).toMatchObject({ cleanupRunsAwaited: 0, erased: { commands: 2 } });
  expect(result).not.toHaveProperty('cleanupRunsStillRunning');
});

it('keeps waiting for the runs it found, and only those, until they end (activities mocked)', async () => {
  let lookups = 0;
  const { result, calls } = await eraseWithMocks((input) => {
    lookups += 1;
    if (!input.runKeys) return Promise.resolve({ runKeys: ['run-a', 'run-b'], stillRunning: ['run-b'] });
    return Promise.resolve({ runKeys: input.runKeys, stillRunning: lookups < 3 ? ['run-b'] : [] });
  });

  expect(calls).toEqual([
    'cancel',
    'erase',
    'await new',
    'await run-b',
    'await run-b',
    'cancel',
    'erase',
    'backups',
  ]);
  expect(result).toMatchObject({ cleanupRunsAwaited: 2 });
});
