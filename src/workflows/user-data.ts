/**
 * A user's rights over their data, on demand, as workflows the Web UI lists (BotTask
 * `user-data-export` / `user-data-erase`, CreatorId the user):
 *   - export: every record about the user written to a JSON file by the worker;
 *   - erase: the user's pending deletions cancelled first (so no grace period deletes
 *     or DMs afterwards), then every record deleted; then both again, once the cleanup
 *     runs in progress have ended (one may have read the user's commands just before
 *     they went); a dry run only counts.
 * Their histories hold ids and counts only: no command names or contents.
 */
import { patched, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { BackupErasure, UserDataEraseActivities, UserDataScopeInput } from '../activities';
import type { UserDataExportActivities, UserDataExportInput } from '../activities';

/** Database work on one user's records: short; retried for an hour (a restart, a failover). */
const recordsOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Waiting for grace workflows to close: each keeps its commands first, which may wait on the database. */
const graceOptions: ActivityOptions = {
  ...recordsOptions,
  startToCloseTimeout: '30 minutes',
  scheduleToCloseTimeout: '2 hours',
};

export interface UserDataEraseInput extends UserDataScopeInput {
  /** Count only: change nothing. */
  dryRun: boolean;
}

export interface UserDataEraseResult {
  userId: string;
  guildId: string | null;
  dryRun: boolean;
  /** Records per collection erased (or, in a dry run, that would be). */
  erased: Record<string, number>;
  /** Grace workflows cancelled (or, in a dry run, that would be). */
  cancelledGraceWorkflows: number;
  /**
   * Cleanup runs the erase waited for before erasing again (absent in a dry run): those in
   * progress, and those stopped before their end whose activities it waited out.
   */
  cleanupRunsAwaited?: number;
  /** Those still running after 6 hours: the erase went on without them (absent when none). */
  cleanupRunsStillRunning?: string[];
  /**
   * Backup files rewritten without the user's records, how many records left them, and the
   * files that could not be verified, left as they are (null in a dry run: not counted).
   */
  backups: BackupErasure | null;
}

export async function userDataErase(input: UserDataEraseInput): Promise<UserDataEraseResult> {
  const scope = { userId: input.userId, guildId: input.guildId };
  const result = (
    erased: Record<string, number>,
    cancelledGraceWorkflows: number,
    backups: UserDataEraseResult['backups'] = null,
  ) => ({ ...scope, dryRun: input.dryRun, erased, cancelledGraceWorkflows, backups });
  const records = proxyActivities<UserDataEraseActivities>(recordsOptions);
  if (input.dryRun) {
    const { records: counts, graceWorkflows } = await records.userDataCount(scope);
    return result(counts, graceWorkflows);
  }
  const waiting = proxyActivities<UserDataEraseActivities>(graceOptions);
  let cancelled = await waiting.userDataCancelGraceWorkflows(scope);
  let erased = await records.userDataEraseRecords(scope);
  let cleanupRuns: { runKeys: string[]; stillRunning: string[] } | undefined;
  if (patched('erase-after-cleanup-runs')) {
    // A cleanup run that read the user's commands before they were erased may still DM the
    // user, record the warning or start a grace period. Such a run held its guild's lease
    // while the records went: wait for the runs in progress now, then erase again, also
    // when none was found (one may have ended in between, its writes done).
    cleanupRuns = await awaitCleanupRuns(waiting, scope);
    cancelled += await waiting.userDataCancelGraceWorkflows(scope);
    erased = sumCounts(erased, await records.userDataEraseRecords(scope));
  }
  // Last: a backup taken while the records were being erased is cleaned too.
  const backups = await records.userDataEraseBackups(scope);
  return {
    ...result(erased, cancelled, backups),
    ...(cleanupRuns ? { cleanupRunsAwaited: cleanupRuns.runKeys.length } : {}),
    ...(cleanupRuns?.stillRunning.length ? { cleanupRunsStillRunning: cleanupRuns.stillRunning } : {}),
  };
}

/** How long an erase waits for cleanup runs before it goes on without them (and says so). */
const MAX_CLEANUP_WAIT_MS = 6 * 60 * 60 * 1000;

/** The cleanup runs in the scope, waited for (about 20 minutes an activity, 6 hours in all). */
async function awaitCleanupRuns(
  activities: Pick<UserDataEraseActivities, 'userDataAwaitCleanupRuns'>,
  scope: UserDataScopeInput,
): Promise<{ runKeys: string[]; stillRunning: string[] }> {
  const until = Date.now() + MAX_CLEANUP_WAIT_MS;
  const { runKeys, stillRunning: first } = await activities.userDataAwaitCleanupRuns(scope);
  let stillRunning = first;
  while (stillRunning.length > 0 && Date.now() < until) {
    ({ stillRunning } = await activities.userDataAwaitCleanupRuns({ ...scope, runKeys: stillRunning }));
  }
  return { runKeys, stillRunning };
}

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [collection, count] of Object.entries(b)) sum[collection] = (sum[collection] ?? 0) + count;
  return sum;
}

export async function userDataExport(
  input: UserDataExportInput,
): Promise<{ path: string; records: Record<string, number> }> {
  return proxyActivities<UserDataExportActivities>(recordsOptions).userDataExportFile(input);
}
