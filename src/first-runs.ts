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
      actionsBefore.set(guildId, await actionsSoFar(client, cleanup, guildId));
      await actOnSchedule(client, cleanup, guildId, 'trigger');
    }
  }
  const rest = (async () => {
    const until = Date.now() + CLEANUP_WAIT_MS;
    if (cleanup) {
      for (const guildId of guildIds) {
        while (!stopped() && Date.now() < until) {
          if (await triggeredRunEnded(client, cleanup, guildId, actionsBefore.get(guildId)!)) break;
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

/** Actions the schedule has taken or skipped (a trigger does one or the other). */
async function actionsSoFar(client: Client, task: ScheduledTask, guildId: string): Promise<number> {
  const { info } = await client.schedule.getHandle(task.scheduleId(guildId)).describe();
  return info.numActionsTaken + info.numActionsSkippedOverlap;
}

async function triggeredRunEnded(
  client: Client,
  task: ScheduledTask,
  guildId: string,
  before: number,
): Promise<boolean> {
  const { info } = await client.schedule.getHandle(task.scheduleId(guildId)).describe();
  return info.numActionsTaken + info.numActionsSkippedOverlap > before && info.runningActions.length === 0;
}
