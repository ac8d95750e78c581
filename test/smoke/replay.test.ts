import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowBundle } from '../helpers/temporal';
import { loadHistories } from '../helpers/histories';

describe('replay of saved histories', () => {
  it('replays every saved history against the current workflow code', async () => {
    const histories = await loadHistories();
    expect(histories.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  });

  it('fails when the workflow code changed incompatibly (control: the check can fail)', async () => {
    const [saved] = (await loadHistories()).filter((h) => h.file === 'smoke-wait-on-durable-timer.json');
    expect(saved).toBeDefined();
    // The same history, replayed as if the timer workflow had been replaced by one calling an activity.
    const started = saved!.history.events![0]!.workflowExecutionStartedEventAttributes!;
    started.workflowType = { name: 'waitOnDurableTimerIncompatible' };
    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle() }, saved!.history, saved!.workflowId),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
