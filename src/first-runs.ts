/**
 * The runs `npm start` makes at once: the cleanup first, the other tasks once it has ended,
 * so the first usage analytics counts the pending deletions the cleanup's DMs announce
 * (started together, it read the commands before any was warned and showed none).
 */
import type { Client } from '@temporalio/client';
import { CLEANUP_TASK } from './cleanup/policy';
import { actOnSchedule } from './schedules';
import type { ScheduledTask } from './tasks/task';

/** How long the others wait for the cleanup run at most: a demo run takes seconds. */
const CLEANUP_WAIT_MS = 60_000;
const POLL_MS = 500;

/**
 * Triggers the cleanup of each guild now; returns a promise that triggers the other tasks
 * once those runs have ended (or CLEANUP_WAIT_MS passed, or `stopped()` says to give up).
 */
export async function triggerFirstRuns(
  client: Client,
  tasks: ScheduledTask[],
  guildIds: string[],
  stopped: () => boolean,
): Promise<{ rest: Promise<void> }> {
  const cleanup = tasks.find((task) => task.name === CLEANUP_TASK);
  const others = tasks.filter((task) => task !== cleanup);
  const actionsBefore = new Map<string, number>();
  if (cleanup) {
    for (const guildId of guildIds) {
      actionsBefore.set(guildId, (await scheduleActions(client, cleanup, guildId)).actions);
      await actOnSchedule(client, cleanup, guildId, 'trigger');
    }
  }
  const rest = (async () => {
    const until = Date.now() + CLEANUP_WAIT_MS;
    if (cleanup) {
      for (const guildId of guildIds) {
        while (!stopped() && Date.now() < until) {
          const { actions, running } = await scheduleActions(client, cleanup, guildId);
          if (actions > actionsBefore.get(guildId)! && running === 0) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }
    }
    for (const guildId of guildIds) {
      for (const task of others) if (!stopped()) await actOnSchedule(client, task, guildId, 'trigger');
    }
  })();
  return { rest };
}

/** The schedule's actions taken or skipped (a trigger does one or the other), and its runs going. */
async function scheduleActions(client: Client, task: ScheduledTask, guildId: string) {
  const { info } = await client.schedule.getHandle(task.scheduleId(guildId)).describe();
  return {
    actions: info.numActionsTaken + info.numActionsSkippedOverlap,
    running: info.runningActions.length,
  };
}
