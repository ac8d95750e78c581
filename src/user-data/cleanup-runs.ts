/**
 * The cleanup runs that may still write about a user whose records are being erased. A run
 * that read the user's commands just before the erase deleted them may still DM the user,
 * write the warning's records or start a grace period afterwards: the erase waits for such
 * runs to end, then erases again what they wrote. A run in progress holds its guild's run
 * lease. A run stopped before its end (cancelled, terminated, timed out, failed) awaited
 * none of its steps: an activity it had started may still run until its own timeout.
 */
import type { Client } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Db } from 'mongodb';
import { CLEANUP_TASK } from '../cleanup/policy';
import { COLLECTIONS } from '../db/contract';
import { BOT_TASK, GUILD_ID } from '../search-attributes';
import { isWorkflowRunning } from '../workflow-running';
import {
  dataActivityOptions,
  discordActivityOptions,
  localDataActivityOptions,
} from '../workflows/activity-options';
import type { UserScope } from './records';

/**
 * How long an activity of a stopped cleanup run may still write after the run closed: the
 * longest start-to-close timeout of the run's activities (the server gives up on an attempt
 * then, and the worker cancels it).
 */
export const STOPPED_RUN_DRAIN_MS = Math.max(
  ...[dataActivityOptions, localDataActivityOptions, discordActivityOptions('')].map((options) =>
    msToNumber(options.startToCloseTimeout!),
  ),
);

/** Where runs are looked for: the scope, on this deployment's task queue (another bot's runs are not ours). */
export interface RunScope extends UserScope {
  taskQueue: string;
}

const scopeQuery = (scope: RunScope) =>
  `${BOT_TASK.name} = "${CLEANUP_TASK}" AND TaskQueue = "${scope.taskQueue}"` +
  (scope.guildId ? ` AND ${GUILD_ID.name} = "${scope.guildId}"` : '');

async function listWorkflows(temporal: Client, query: string): Promise<string[]> {
  const ids = new Set<string>();
  for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);
  return [...ids];
}

/**
 * Workflow ids of the cleanup runs in progress in the scope's guild (or every guild): the
 * holders of the guilds' run leases, and the runs the Web UI lists as running (a cancelled
 * run gives its lease back just before it closes).
 */
export async function cleanupRunsInProgress(db: Db, temporal: Client, scope: RunScope): Promise<string[]> {
  const leases = await db
    .collection<{ _id: string; runKey: string }>(COLLECTIONS.locks)
    .find(scope.guildId ? { _id: scope.guildId } : {})
    .toArray();
  const listed = await listWorkflows(temporal, `${scopeQuery(scope)} AND ExecutionStatus = "Running"`);
  const candidates = [...new Set([...leases.map((lease) => lease.runKey), ...listed])];
  const running: string[] = [];
  for (const runKey of candidates) {
    if (await isWorkflowRunning(temporal, runKey)) running.push(runKey);
  }
  return running.sort();
}

/**
 * The cleanup runs of the scope stopped before their end within the last STOPPED_RUN_DRAIN_MS,
 * each with the instant until which one of its activities may still write.
 */
export async function cleanupRunsDraining(
  temporal: Client,
  scope: RunScope,
  now: Date,
): Promise<{ workflowId: string; until: Date }[]> {
  const since = new Date(now.getTime() - STOPPED_RUN_DRAIN_MS).toISOString();
  const query =
    `${scopeQuery(scope)} AND CloseTime > "${since}"` +
    ' AND ExecutionStatus != "Running" AND ExecutionStatus != "Completed" AND ExecutionStatus != "ContinuedAsNew"';
  const draining = new Map<string, Date>();
  for await (const execution of temporal.workflow.list({ query })) {
    const closed = execution.closeTime?.getTime();
    if (closed === undefined) continue;
    const until = new Date(closed + STOPPED_RUN_DRAIN_MS);
    const known = draining.get(execution.workflowId);
    if (until > now && (!known || until > known)) draining.set(execution.workflowId, until);
  }
  return [...draining]
    .map(([workflowId, until]) => ({ workflowId, until }))
    .sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

/** Waits until none of the workflows runs, or `maxWaitMs` has passed; returns those still running. */
export async function awaitWorkflowsClosed(
  temporal: Client,
  workflowIds: string[],
  options: { maxWaitMs: number; pollMs?: number },
): Promise<string[]> {
  const until = Date.now() + options.maxWaitMs;
  let running = workflowIds;
  for (;;) {
    const states = await Promise.all(running.map((id) => isWorkflowRunning(temporal, id)));
    running = running.filter((_, i) => states[i]);
    if (running.length === 0 || Date.now() >= until) return running;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}
