/**
 * The erasure of a user's records, as activities: what would be erased (a dry run),
 * the user's pending deletions cancelled, then every record deleted. Only counts go
 * back into the workflow's history.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { eraseUserFromBackups, type BackupErasure } from '../backup';
import { awaitWorkflowsClosed, cleanupRunsDraining, cleanupRunsInProgress } from '../user-data/cleanup-runs';
import { cancelGraceWorkflows, runningGraceWorkflows } from '../user-data/grace-workflows';
import type { UserScope } from '../user-data/records';
import { countUserRecords, eraseUserRecords, type RecordCounts } from '../user-data/store';
import { heartbeating } from './bounded';

export interface UserDataScopeInput {
  userId: string;
  guildId: string | null;
}

const scopeOf = (input: UserDataScopeInput): UserScope => ({
  userId: input.userId,
  ...(input.guildId ? { guildId: input.guildId } : {}),
});

export function createUserDataEraseActivities(deps: {
  db: Db;
  temporal: Client;
  backupDir: string;
  /** This deployment's task queue: the cleanup runs waited for are those run on it. */
  taskQueue: string;
  /** Waits in an activity; the activity's own sleep (cut short by a cancellation) by default. */
  sleep?: (ms: number) => Promise<void>;
}) {
  const sleep = deps.sleep ?? ((ms: number) => Context.current().sleep(ms));
  const activities = {
    /** What an erase would do: records per collection, grace workflows to cancel. */
    async userDataCount(
      input: UserDataScopeInput,
    ): Promise<{ records: RecordCounts; graceWorkflows: number }> {
      const scope = scopeOf(input);
      const [records, running] = await Promise.all([
        countUserRecords(deps.db, scope),
        runningGraceWorkflows(deps.db, deps.temporal, { ...scope, taskQueue: deps.taskQueue }),
      ]);
      return { records, graceWorkflows: running.length };
    },

    /** Cancels the user's running grace workflows and waits for each to close; how many ran. */
    userDataCancelGraceWorkflows: (input: UserDataScopeInput): Promise<number> =>
      cancelGraceWorkflows(deps.db, deps.temporal, { ...scopeOf(input), taskQueue: deps.taskQueue }),

    /**
     * Waits for cleanup runs to end: those given, or else those in progress in the scope now.
     * Returns which it waited for and which still run after 10 minutes (call again for those).
     * Once none runs, it also waits out the activities of the scope's runs stopped before their
     * end (cancelled, terminated): until the timeouts of what they left running, 11 minutes at most.
     */
    async userDataAwaitCleanupRuns(
      input: UserDataScopeInput & { runKeys?: string[] },
    ): Promise<{ runKeys: string[]; stillRunning: string[] }> {
      const scope = { ...scopeOf(input), taskQueue: deps.taskQueue };
      const inProgress = input.runKeys ?? (await cleanupRunsInProgress(deps.db, deps.temporal, scope));
      const stillRunning = await awaitWorkflowsClosed(deps.temporal, inProgress, {
        maxWaitMs: 10 * 60_000,
        sleep: (ms) => Context.current().sleep(ms),
      });
      if (stillRunning.length > 0) return { runKeys: inProgress, stillRunning };
      const draining = await cleanupRunsDraining(deps.db, deps.temporal, scope, new Date(), inProgress);
      const until = Math.max(0, ...draining.map((run) => run.until.getTime()));
      if (until > Date.now()) await sleep(until - Date.now());
      const runKeys = [...new Set([...inProgress, ...draining.map((run) => run.workflowId)])].sort();
      return { runKeys, stillRunning };
    },

    /** Deletes every record; the counts so far ride on the heartbeat, so a retry adds what is left. */
    async userDataEraseRecords(input: UserDataScopeInput): Promise<RecordCounts> {
      const context = Context.current();
      const erased = { ...(context.info.heartbeatDetails as RecordCounts | undefined) };
      const timer = setInterval(() => context.heartbeat(erased), 5_000);
      try {
        return await eraseUserRecords(deps.db, scopeOf(input), erased, (counts) => context.heartbeat(counts));
      } finally {
        clearInterval(timer);
      }
    },

    /** Rewrites the backup files that hold the user's commands or archive entries without them. */
    userDataEraseBackups: (input: UserDataScopeInput): Promise<BackupErasure> =>
      eraseUserFromBackups({ dir: deps.backupDir, ...scopeOf(input) }),
  };
  return heartbeating(activities, ['userDataEraseRecords']);
}

export type { BackupErasure };
export type UserDataEraseActivities = ReturnType<typeof createUserDataEraseActivities>;
