import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { DAY_MS } from '../../src/duration';

describe('Schedules on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  });
  afterAll(async () => env?.teardown());

  it('describes a created schedule back with its next action time', async () => {
    const scheduleId = `smoke-schedule-${uniqueTaskQueue()}`;
    const handle = await env.client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 3, minute: 0 }] }, // daily at 03:00 UTC
      action: {
        type: 'startWorkflow',
        workflowType: 'waitOnDurableTimer',
        args: ['1s'],
        taskQueue: 'unused',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    try {
      const description = await handle.describe();
      const next = description.info.nextActionTimes[0];
      expect(next).toBeInstanceOf(Date);
      expect(next!.getTime()).toBeGreaterThan(Date.now());
      expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(DAY_MS);
      expect([next!.getUTCHours(), next!.getUTCMinutes(), next!.getUTCSeconds()]).toEqual([3, 0, 0]);
      expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    } finally {
      await handle.delete();
    }
  });
});
