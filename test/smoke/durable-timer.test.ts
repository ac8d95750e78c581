import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import {
  createTimeSkippingEnv,
  uniqueTaskQueue,
  workflowBundle,
  type TimeSkippingEnv,
} from '../helpers/temporal';
import { waitOnDurableTimer } from '../fixtures/smoke-workflows';
import { DAY_MS } from '../../src/duration';

describe('time-skipping test server (Java)', () => {
  let harness: TimeSkippingEnv;
  beforeAll(async () => {
    harness = await createTimeSkippingEnv();
  });
  afterAll(async () => harness?.teardown());

  it('completes a workflow waiting on a 30-day durable timer, skipping the time', async () => {
    const { env } = harness;
    const taskQueue = uniqueTaskQueue();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
    });
    const realStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(waitOnDurableTimer, {
        args: ['30 days'],
        workflowId: `smoke-timer-${taskQueue}`,
        taskQueue,
      }),
    );
    // The workflow's clock moved 30 days while the wall clock did not.
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(Date.now() - realStart).toBeLessThan(DAY_MS);
  });
});
