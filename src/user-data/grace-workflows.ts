/**
 * The user's pending deletions: the grace workflows of their warned commands. Found
 * through the commands' `cleanup.graceWorkflowId` (the database's word) and the Web
 * UI's search attributes (one whose commands lost their marks still runs to its
 * deadline), on this deployment's task queue: another bot sharing the namespace keeps
 * its own (cancelling one would wait for a worker of theirs). Cancelled and awaited, so
 * none deletes or DMs after the erase.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { GRACE_TASK } from '../cleanup/policy';
import { COLLECTIONS, type CustomCommandDoc } from '../db/contract';
import { BOT_TASK, CREATOR_ID, GUILD_ID } from '../search-attributes';
import { isWorkflowRunning } from '../workflow-running';
import type { RunScope } from './cleanup-runs';

/** Ids of the user's grace workflows that are still running. */
export async function runningGraceWorkflows(db: Db, temporal: Client, scope: RunScope): Promise<string[]> {
  const marked = await db
    .collection<CustomCommandDoc>(COLLECTIONS.commands)
    .distinct('cleanup.graceWorkflowId', {
      creatorId: scope.userId,
      ...(scope.guildId ? { guildId: scope.guildId } : {}),
      'cleanup.graceWorkflowId': { $exists: true },
    });
  const query = [
    `${BOT_TASK.name} = '${GRACE_TASK}'`,
    `TaskQueue = '${scope.taskQueue}'`,
    `${CREATOR_ID.name} = '${scope.userId}'`,
    ...(scope.guildId ? [`${GUILD_ID.name} = '${scope.guildId}'`] : []),
    `ExecutionStatus = 'Running'`,
  ].join(' AND ');
  const listed: string[] = [];
  for await (const execution of temporal.workflow.list({ query })) listed.push(execution.workflowId);

  const running: string[] = [];
  for (const id of new Set([...(marked as string[]), ...listed])) {
    if (await isWorkflowRunning(temporal, id)) running.push(id);
  }
  return running.sort();
}

/**
 * Cancels each running grace workflow and waits until it has closed (a cancelled grace
 * period keeps and unwarns its commands). Returns how many were running. Idempotent: a
 * retry cancels what still runs.
 */
export async function cancelGraceWorkflows(db: Db, temporal: Client, scope: RunScope): Promise<number> {
  const running = await runningGraceWorkflows(db, temporal, scope);
  for (const workflowId of running) {
    const handle = temporal.workflow.getHandle(workflowId);
    try {
      await handle.cancel();
    } catch (error) {
      // Closed in the meantime: nothing left to cancel.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    // Its result is the cancellation (or the end it reached first): either way it is closed.
    await handle.result().catch(() => undefined);
  }
  return running.length;
}
