/**
 * The cleanup runs in progress where a user's records are erased. A run that read the
 * user's commands just before the erase deleted them may still DM the user, write the
 * warning's records or start a grace period afterwards: the erase waits for such runs to
 * end, then erases again what they wrote. A run in progress holds its guild's run lease.
 */
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../db/contract';
import { isWorkflowRunning } from '../workflow-running';
import type { UserScope } from './records';

/** Workflow ids of the cleanup runs in progress in the scope's guild (or every guild). */
export async function cleanupRunsInProgress(db: Db, temporal: Client, scope: UserScope): Promise<string[]> {
  const leases = await db
    .collection<{ _id: string; runKey: string }>(COLLECTIONS.locks)
    .find(scope.guildId ? { _id: scope.guildId } : {})
    .toArray();
  const running: string[] = [];
  for (const { runKey } of leases) {
    if (await isWorkflowRunning(temporal, runKey)) running.push(runKey);
  }
  return running.sort();
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
