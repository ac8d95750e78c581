/**
 * `starter run` refuses a real run of a guild while another run of it is in progress
 * (both would DM the same creators); a dry run is always allowed to start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TypedSearchAttributes } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { customCommandCleanupTask } from '../../src/tasks/custom-command-cleanup';
import { createDevServerEnv, uniqueTaskQueue } from '../helpers/temporal';
import { cli, eventually, newGuildId } from './cli';

let env: TestWorkflowEnvironment;
const guild = newGuildId();
// No worker polls this queue: the started runs stay "Running" for the test.
const taskQueue = uniqueTaskQueue('overlap');
const started: string[] = [];

beforeAll(async () => {
  env = await createDevServerEnv();
});
afterAll(async () => {
  for (const id of started)
    await env.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await env?.teardown();
});

describe('starter run with a run already in progress', () => {
  it('refuses a second real run with a clear message, and allows a dry run', async () => {
    const running = `custom-command-cleanup:${guild}-scheduled-${Date.now()}`;
    await env.client.workflow.start('customCommandCleanup', {
      workflowId: running,
      taskQueue,
      args: [{}],
      typedSearchAttributes: new TypedSearchAttributes(customCommandCleanupTask.searchAttributes(guild)),
    });
    started.push(running);
    // Visibility is eventually consistent: wait until the run is listed.
    await eventually(
      async () => {
        const ids: string[] = [];
        for await (const w of env.client.workflow.list({ query: `GuildId = "${guild}"` }))
          ids.push(w.workflowId);
        return ids;
      },
      (ids) => ids.includes(running),
    );

    const cliEnv = { TEMPORAL_ADDRESS: inject('temporalAddress'), TASK_QUEUE: taskQueue };
    const refused = await cli(['run', 'custom-command-cleanup', '--guild', guild], cliEnv);
    expect(refused.code).toBe(2);
    expect(refused.err.join('\n')).toContain(`run of guild ${guild} is in progress (${running})`);

    const dry = await cli(['run', 'custom-command-cleanup', '--guild', guild, '--dry-run', '--json'], cliEnv);
    expect(dry.code, dry.err.join('\n')).toBe(0);
    const { workflowId } = JSON.parse(dry.out[0]!) as { workflowId: string };
    started.push(workflowId);
    expect(workflowId).toContain(`custom-command-cleanup:${guild}:manual-`);
  });
});
