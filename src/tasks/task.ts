/**
 * A task of the bot: one workflow type run per guild by a Schedule (or by hand with
 * `starter run`), the activities it needs, and how its result reads for a person.
 * Adding a task is its workflow (src/workflows), one file here that describes it, and
 * one entry in registry.ts: the worker registers its activities, the starter schedules,
 * lists, triggers, pauses and runs it.
 */
import type { Client, ScheduleSpec } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Db } from 'mongodb';
import type { Config } from '../config';
import type { DiscordGateway } from '../discord/contract';
import type { ScheduleReader } from '../activities/cleanup-data';

/** What a task's activities may depend on, wired once for every task by the worker. */
export interface TaskContext {
  config: Config;
  db: Db;
  temporal: Client;
  discord: DiscordGateway;
  schedules: ScheduleReader;
  /** The clock; tests pin it. */
  now?: () => Date;
}

// Activities are plain async functions; their types are checked where workflows proxy them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActivityMap = Record<string, (...args: any[]) => Promise<unknown>>;

/** Activities by task queue: the main queue's (database, Temporal) and the rate-capped Discord queue's. */
export interface TaskActivities {
  data?: ActivityMap;
  discord?: ActivityMap;
}

export interface ScheduledTask<Result = unknown> {
  /** The name operators type: `starter run <name>`, `TASKS_DISABLED=<name>`. */
  name: string;
  description: string;
  workflowType: string;
  /** The environment variable that reschedules the task, and its default (cron in UTC or `every <duration>`). */
  schedule: { variable: string; default: string };
  /** Business key of the guild's schedule; its runs are `<scheduleId>-<time>`. */
  scheduleId(guildId: string): string;
  /** Workflow id of a run started by hand. */
  manualWorkflowId(guildId: string, at: Date): string;
  workflowArgs(config: Config, guildId: string, options: { dryRun: boolean }): unknown[];
  searchAttributes(guildId: string): SearchAttributePair[];
  /** One line for the Web UI. */
  summary(guildId: string, options: { dryRun: boolean }): string;
  /** The result as `starter run --wait` prints it (the first line names the workflow). */
  describeResult(workflowId: string, result: Result): string;
  /** The task's activities, created once per worker. */
  activities?(context: TaskContext): Promise<TaskActivities> | TaskActivities;
}

/** The spec of a schedule setting: a cron expression or a fixed interval. */
export function scheduleSpecOf(setting: { cron: string } | { everyMs: number }): ScheduleSpec {
  return 'cron' in setting
    ? { cronExpressions: [setting.cron] }
    : { intervals: [{ every: setting.everyMs }] };
}
