/**
 * The operator's view of the schedules: create-or-update (idempotent), describe,
 * trigger, pause, unpause, delete. One Schedule per (task, guild), id = business key.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { TypedSearchAttributes, type Workflow } from '@temporalio/common';
import type { Config } from './config';
import { isSnowflake } from './commands/snowflake';
import { scheduleSpecOf, type ScheduledTask } from './tasks/task';
import { enabledTasks, taskSchedule, tasks } from './tasks/registry';

export interface ScheduleState {
  scheduleId: string;
  guildId: string;
  task: string;
  paused: boolean;
  note?: string;
  nextRunTimes: Date[];
  /** false when the schedule does not exist. */
  exists: boolean;
}

function scheduleOptions(config: Config, task: ScheduledTask, guildId: string): ScheduleOptions {
  return {
    scheduleId: task.scheduleId(guildId),
    spec: scheduleSpecOf(taskSchedule(config, task)),
    action: {
      type: 'startWorkflow',
      workflowType: task.workflowType,
      // The schedule appends the scheduled time to this id for each run.
      workflowId: task.scheduleId(guildId),
      taskQueue: config.temporal.taskQueue,
      args: task.workflowArgs(config, guildId, { dryRun: false }),
      typedSearchAttributes: new TypedSearchAttributes(task.searchAttributes(guildId)),
      staticSummary: task.summary(guildId, { dryRun: false }),
    },
    policies: {
      // One run at a time per guild; a run still going when the next is due makes it skip.
      overlap: ScheduleOverlapPolicy.SKIP,
      // After downtime, run once if the missed time is under a day old, not once per missed day.
      catchupWindow: '1 day',
      pauseOnFailure: false,
    },
    state: { note: `Managed by the starter CLI (${task.name})` },
  };
}

/** Creates the schedule, or updates it in place when it exists: running it twice changes nothing. */
export async function upsertSchedule(
  client: Client,
  config: Config,
  task: ScheduledTask,
  guildId: string,
): Promise<'created' | 'updated'> {
  const options = scheduleOptions(config, task, guildId);
  try {
    // Explicit: inferring the workflow type from the options costs the type checker seconds.
    await client.schedule.create<Workflow>(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(options.scheduleId).update<Workflow>((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
      // Keep a pause an operator set by hand.
      state: previous.state,
    }));
    return 'updated';
  }
}

export async function describeSchedule(
  client: Client,
  task: ScheduledTask,
  guildId: string,
): Promise<ScheduleState> {
  const scheduleId = task.scheduleId(guildId);
  try {
    const description = await client.schedule.getHandle(scheduleId).describe();
    return {
      scheduleId,
      guildId,
      task: task.name,
      paused: description.state.paused,
      note: description.state.note,
      nextRunTimes: description.info.nextActionTimes,
      exists: true,
    };
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    return { scheduleId, guildId, task: task.name, paused: false, nextRunTimes: [], exists: false };
  }
}

export type ScheduleAction = 'trigger' | 'pause' | 'unpause' | 'delete';

/** Applies an action; false when the schedule does not exist. */
export async function actOnSchedule(
  client: Client,
  task: ScheduledTask,
  guildId: string,
  action: ScheduleAction,
  note?: string,
): Promise<boolean> {
  const handle = client.schedule.getHandle(task.scheduleId(guildId));
  try {
    if (action === 'trigger') await handle.trigger(ScheduleOverlapPolicy.SKIP);
    else if (action === 'pause') await handle.pause(note ?? 'Paused with the starter CLI');
    else if (action === 'unpause') await handle.unpause(note ?? 'Unpaused with the starter CLI');
    else await handle.delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

export interface ScheduleChange {
  task: string;
  guildId: string;
  scheduleId: string;
  /** `disabled`: the task is in TASKS_DISABLED; `removed`: GUILD_IDS=all and the bot left the guild. */
  change: 'created' | 'updated' | 'disabled' | 'removed';
  nextRunAt: string | null;
}

/**
 * Makes the schedules what the configuration says: every enabled task for every guild
 * created or updated; a disabled task's schedules deleted; with GUILD_IDS=all, the
 * schedules of guilds the bot is no longer in deleted. Idempotent.
 */
export async function reconcileSchedules(
  client: Client,
  config: Config,
  guildIds: string[],
): Promise<ScheduleChange[]> {
  const changes: ScheduleChange[] = [];
  const enabled = enabledTasks(config);
  for (const guildId of guildIds) {
    for (const task of tasks) {
      const scheduleId = task.scheduleId(guildId);
      if (enabled.includes(task)) {
        const change = await upsertSchedule(client, config, task, guildId);
        const state = await describeSchedule(client, task, guildId);
        const nextRunAt = state.nextRunTimes[0]?.toISOString() ?? null;
        changes.push({ task: task.name, guildId, scheduleId, change, nextRunAt });
      } else if (await actOnSchedule(client, task, guildId, 'delete')) {
        changes.push({ task: task.name, guildId, scheduleId, change: 'disabled', nextRunAt: null });
      }
    }
  }
  if (config.allGuilds) {
    for (const stale of await schedulesOfOtherGuilds(client, guildIds, config.temporal.taskQueue)) {
      if (await actOnSchedule(client, stale.task, stale.guildId, 'delete')) {
        const scheduleId = stale.task.scheduleId(stale.guildId);
        changes.push({
          task: stale.task.name,
          guildId: stale.guildId,
          scheduleId,
          change: 'removed',
          nextRunAt: null,
        });
      }
    }
  }
  return changes;
}

/**
 * Schedules of the tasks (by their ids' shape) for guilds not in the list, that start
 * their runs on this deployment's task queue. The task queue is what ties a schedule to
 * a bot: its workers hold the token. Another bot or deployment sharing the namespace
 * (another task queue) keeps its schedules.
 */
async function schedulesOfOtherGuilds(
  client: Client,
  guildIds: string[],
  taskQueue: string,
): Promise<{ task: ScheduledTask; guildId: string }[]> {
  const known = new Set(guildIds);
  const candidates: { task: ScheduledTask; guildId: string }[] = [];
  for await (const schedule of client.schedule.list()) {
    for (const task of tasks) {
      const guildId = guildOfScheduleId(task, schedule.scheduleId);
      if (guildId !== undefined && !known.has(guildId)) candidates.push({ task, guildId });
    }
  }
  // The listing does not carry the action's task queue: describe the few candidates.
  const found: { task: ScheduledTask; guildId: string }[] = [];
  for (const candidate of candidates) {
    const queue = await actionTaskQueue(client, candidate.task.scheduleId(candidate.guildId));
    if (queue === taskQueue) found.push(candidate);
  }
  return found;
}

/** The task queue a schedule starts its runs on; undefined when it is gone. */
async function actionTaskQueue(client: Client, scheduleId: string): Promise<string | undefined> {
  try {
    return (await client.schedule.getHandle(scheduleId).describe()).action.taskQueue;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** The guild whose schedule of this task has this id, if it is one. */
function guildOfScheduleId(task: ScheduledTask, scheduleId: string): string | undefined {
  const [prefix = '', suffix = ''] = task.scheduleId('\u0000').split('\u0000');
  if (!scheduleId.startsWith(prefix) || !scheduleId.endsWith(suffix)) return undefined;
  const guildId = scheduleId.slice(prefix.length, scheduleId.length - suffix.length);
  return isSnowflake(guildId) ? guildId : undefined;
}
