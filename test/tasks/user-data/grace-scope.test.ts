/**
 * The erase's grace workflows are this deployment's only (dev server, FerretDB): a grace
 * workflow of the same user on another task queue (another bot sharing the namespace, no
 * worker of ours polls it) is neither counted nor cancelled, so the erase never waits on it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TypedSearchAttributes } from '@temporalio/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GRACE_TASK } from '../../../src/cleanup/policy';
import { BOT_TASK, CREATOR_ID, GUILD_ID } from '../../../src/search-attributes';
import { runningGraceWorkflows } from '../../../src/user-data/grace-workflows';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { createDevServerEnv, uniqueTaskQueue } from '../../helpers/temporal';
import { eventually, newGuildId } from '../../starter/cli';

let temporal: TestWorkflowEnvironment;
let database: TestDatabase;

beforeAll(async () => {
  [temporal, database] = await Promise.all([createDevServerEnv(), createTestDatabase('grace_scope')]);
});

afterAll(async () => {
  await Promise.allSettled([temporal?.teardown(), database?.drop()]);
});

it('finds a grace workflow of the user on its own task queue, not on another bot’s', async () => {
  const userId = newGuildId();
  const foreignQueue = uniqueTaskQueue('another-bot');
  const foreign = await temporal.client.workflow.start('customCommandGrace', {
    workflowId: `grace-scope-${userId}`,
    taskQueue: foreignQueue,
    args: [{}],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: GUILD_ID, value: newGuildId() },
      { key: CREATOR_ID, value: userId },
      { key: BOT_TASK, value: GRACE_TASK },
    ]),
  });
  try {
    const found = await eventually(
      () => runningGraceWorkflows(database.db, temporal.client, { userId, taskQueue: foreignQueue }),
      (ids) => ids.length > 0,
    );
    expect(found).toEqual([foreign.workflowId]);
    expect(
      await runningGraceWorkflows(database.db, temporal.client, {
        userId,
        taskQueue: uniqueTaskQueue('ours'),
      }),
    ).toEqual([]);
  } finally {
    await foreign.terminate('test done');
  }
});
