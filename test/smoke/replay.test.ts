import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import * as productWorkflows from '../../src/workflows';
import { workflowBundle } from '../helpers/temporal';
import { loadHistories, type SavedHistory } from '../helpers/histories';

const workflowType = (saved: SavedHistory) =>
  saved.history.events![0]!.workflowExecutionStartedEventAttributes!.workflowType!.name!;

describe('replay of saved histories', () => {
  it('replays every saved history against the current workflow code', async () => {
    const histories = await loadHistories();
    expect(histories.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });

  it('keeps a history of every workflow the worker runs', async () => {
    const saved = new Set((await loadHistories()).map(workflowType));
    const workflows = Object.entries(productWorkflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(workflows).toEqual(expect.arrayContaining(['customCommandCleanup', 'customCommandGrace']));
    expect(workflows.filter((name) => !saved.has(name))).toEqual([]);
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

  it('fails on a saved product history whose steps differ from what the code does (control)', async () => {
    const [saved] = (await loadHistories()).filter(
      (h) => h.file === 'custom-command-grace-one-used-one-deleted.json',
    );
    expect(saved).toBeDefined();
    // As if the grace workflow had been recorded calling another activity than the current code does.
    const scheduled = saved!.history.events!.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deleteIdleCommands',
    );
    expect(scheduled).toBeDefined();
    scheduled!.activityTaskScheduledEventAttributes!.activityType = { name: 'deleteCommandsNow' };
    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle() }, saved!.history, saved!.workflowId),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
