import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { createDevServerEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { createNoteActivities } from '../fixtures/note-activities';
import { storeAndReadNote } from '../fixtures/smoke-workflows';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

describe('activities on FerretDB through the mongodb driver', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  beforeAll(async () => {
    [env, database] = await Promise.all([createDevServerEnv(), createTestDatabase('smoke')]);
  });
  afterAll(async () => {
    await database?.drop();
    await env?.teardown();
  });

  it('writes a document in one activity and reads it back in another', async () => {
    const taskQueue = uniqueTaskQueue();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: createNoteActivities(database.db),
    });
    const workflowId = `smoke-note-${taskQueue}`;
    const result = await worker.runUntil(
      env.client.workflow.execute(storeAndReadNote, { args: ['hello ferret'], workflowId, taskQueue }),
    );
    expect(result).toEqual({ id: workflowId, text: 'hello ferret' });
    // The document is really in the database, not only in the workflow's result.
    const stored = await database.db.collection<{ _id: string }>('notes').findOne({ _id: workflowId });
    expect(stored).toMatchObject({ text: 'hello ferret', savedAt: expect.any(Date) as Date });
  });
});
