/**
 * The cleanup runs that may still write about a user whose records are being erased. A run
 * that read the user's commands just before the erase deleted them may still DM the user,
 * write the warning's records or start a grace period afterwards: the erase waits for such
 * runs to end, then erases again what they wrote. A run in progress holds its guild's run
 * lease. A run stopped before its end (cancelled, terminated, timed out, failed) awaited
 * none of its steps: an activity it had started may still run until its own timeout.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
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
import { activitiesLeftRunningMs } from './left-running';
import type { UserScope } from './records';

/** Past an activity's timeout: a request already on its way, and clocks apart (the close time is the server's). */
export const DRAIN_MARGIN_MS = 60_000;

/**
 * The longest an activity of a stopped cleanup run may still write after the run closed:
 * the longest start-to-close timeout of the run's activities (the server gives up on an
 * attempt then, and the worker cancels it), and the margin. What one run left running,
 * read from its history, may need less (see drainedAt).
 */
export const STOPPED_RUN_DRAIN_MS =
  Math.max(
    ...[dataActivityOptions, localDataActivityOptions, discordActivityOptions('')].map((options) =>
      msToNumber(options.startToCloseTimeout!),
    ),
  ) + DRAIN_MARGIN_MS;

/** How a run stopped before its end closes; a completed or continued run awaited its steps. */
const STOPPED_STATUSES: ReadonlySet<string> = new Set(['CANCELLED', 'TERMINATED', 'FAILED', 'TIMED_OUT']);

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

/** The workflow ids holding the run leases of the scope's guilds (running or not). */
async function leaseHolders(db: Db, scope: RunScope): Promise<string[]> {
  const leases = await db
    .collection<{ _id: string; runKey: string }>(COLLECTIONS.locks)
    .find(scope.guildId ? { _id: scope.guildId } : {})
    .toArray();
  return leases.map((lease) => lease.runKey);
}

/**
 * Workflow ids of the cleanup runs in progress in the scope's guild (or every guild): the
 * holders of the guilds' run leases, and the runs the Web UI lists as running (a cancelled
 * run gives its lease back just before it closes; runs of the oldest version take none).
 */
export async function cleanupRunsInProgress(db: Db, temporal: Client, scope: RunScope): Promise<string[]> {
  const listed = await listWorkflows(temporal, `${scopeQuery(scope)} AND ExecutionStatus = "Running"`);
  const candidates = new Set([...(await leaseHolders(db, scope)), ...listed]);
  const running: string[] = [];
  for (const runKey of candidates) {
    if (await isWorkflowRunning(temporal, runKey)) running.push(runKey);
  }
  return running.sort();
}

/**
 * The cleanup runs of the scope stopped before their end within the last STOPPED_RUN_DRAIN_MS,
 * each with the instant until which one of its activities may still write. Found in the
 * Web UI's list, among the lease holders and among `known` (runs just awaited: the list
 * may not show their close yet); each run's status and close time are read from the run.
 */
export async function cleanupRunsDraining(
  db: Db,
  temporal: Client,
  scope: RunScope,
  now: Date,
  known: string[] = [],
): Promise<{ workflowId: string; until: Date }[]> {
  const since = new Date(now.getTime() - STOPPED_RUN_DRAIN_MS).toISOString();
  const listed = await listWorkflows(
    temporal,
    `${scopeQuery(scope)} AND CloseTime > "${since}"` +
      ' AND ExecutionStatus != "Running" AND ExecutionStatus != "Completed" AND ExecutionStatus != "ContinuedAsNew"',
  );
  const candidates = new Set([...known, ...(await leaseHolders(db, scope)), ...listed]);
  const draining: { workflowId: string; until: Date }[] = [];
  for (const workflowId of candidates) {
    const until = await drainedAt(temporal, workflowId);
    if (until && until > now) draining.push({ workflowId, until });
  }
  return draining.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

/**
 * When a run's activities can no longer write: null unless it stopped before its end and
 * left activities running (from its history: a run that failed at its preflight left none).
 */
async function drainedAt(temporal: Client, workflowId: string): Promise<Date | null> {
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    const { status, closeTime } = await handle.describe();
    if (!STOPPED_STATUSES.has(status.name) || !closeTime) return null;
    const { events } = await handle.fetchHistory();
    const leftMs = activitiesLeftRunningMs(
      events ?? [],
      msToNumber(localDataActivityOptions.startToCloseTimeout!),
    );
    return leftMs === null ? null : new Date(closeTime.getTime() + leftMs + DRAIN_MARGIN_MS);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** Waits until none of the workflows runs, or `maxWaitMs` has passed; returns those still running. */
export async function awaitWorkflowsClosed(
  temporal: Client,
  workflowIds: string[],
  options: { maxWaitMs: number; pollMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<string[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const until = Date.now() + options.maxWaitMs;
  let running = workflowIds;
  for (;;) {
    const states = await Promise.all(running.map((id) => isWorkflowRunning(temporal, id)));
    running = running.filter((_, i) => states[i]);
    if (running.length === 0 || Date.now() >= until) return running;
    await sleep(options.pollMs ?? 1000);
  }
}
