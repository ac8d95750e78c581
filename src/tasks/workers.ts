/**
 * The two workers of every task, wired in one place that `npm run worker`, the tests
 * and the benchmark share: the main task queue (workflows, database and Temporal
 * activities) and the Discord task queue (every Discord request, rate-capped
 * cluster-wide by the server).
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createAdminReportActivities } from '../activities/admin-report';
import { onDemandWork } from './on-demand';
import { tasks } from './registry';
import type { TaskActivities, TaskContext } from './task';

/** The workflows' entry point: what a worker bundles at start, or `npm run build:workflows` once. */
export const WORKFLOWS_ENTRY = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Every task's activities, by task queue; two tasks naming one activity alike is a wiring error. */
export async function createTaskActivities(
  context: TaskContext,
  selected = tasks,
): Promise<Required<TaskActivities>> {
  // The framework's own: every task may report to the admin channel.
  const merged: Required<TaskActivities> = {
    data: {},
    discord: { ...createAdminReportActivities(context) },
  };
  for (const task of [...selected, ...onDemandWork]) {
    const own = (await task.activities?.(context)) ?? {};
    for (const queue of ['data', 'discord'] as const) {
      for (const [name, activity] of Object.entries(own[queue] ?? {})) {
        if (name in merged.data || name in merged.discord) {
          throw new Error(`Activity '${name}' of task ${task.name} is already registered by another task`);
        }
        merged[queue][name] = activity;
      }
    }
  }
  return merged;
}

/**
 * Workflows a worker keeps in memory between their tasks. A grace workflow sleeps for
 * weeks after its first task, so caching thousands of them (the SDK's default grows with
 * the heap) costs memory and garbage collection and saves nothing; the busy ones (a
 * cleanup run) stay cached, least recently used go first.
 */
const MAX_CACHED_WORKFLOWS = 500;

export interface TaskWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  discordTaskQueue: string;
  activities: Required<TaskActivities>;
  /** A bundle built beforehand (tests, benchmarks); by default src/workflows is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Discord's budget in requests per second; absent: no server-side cap (tests on the time-skipping server). */
  requestsPerSecond?: number;
  /** How long running activities get to finish at shutdown; default 20 s. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

export interface TaskWorkers {
  main: Worker;
  discord: Worker;
}

export async function createTaskWorkers(options: TaskWorkersOptions): Promise<TaskWorkers> {
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'shutdownGraceTime' | 'shutdownForceTime'> =
    {
      connection: options.connection,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      shutdownGraceTime: options.shutdownGraceTime ?? '20 seconds',
      shutdownForceTime: '30 seconds',
    };
  const main = await Worker.create({
    ...common,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_ENTRY }),
    activities: options.activities.data,
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
  });
  const discord = await Worker.create({
    ...common,
    taskQueue: options.discordTaskQueue,
    activities: options.activities.discord,
    // Every Discord activity makes at least one request: never more activities a second, cluster-wide
    // (enforced by the server), than the budget allows requests, so none waits long in a queue.
    ...(options.requestsPerSecond ? { maxTaskQueueActivitiesPerSecond: options.requestsPerSecond } : {}),
  });
  return { main, discord };
}
