/**
 * The cleanup's database work around each creator's warning, and the Temporal calls
 * that go with it: the guild's run lease, reconciling stale warnings, claiming a page
 * of creators, confirming a delivered warning and starting its grace period, deleting
 * at the deadline in chunks. Every activity is idempotent: it may run more than once.
 * Lists never cross into workflow history: activities return counts.
 */
import { Context, log } from '@temporalio/activity';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { CleanupPolicy } from '../cleanup/model';
import { deleteCutoff, GRACE_TASK, graceWorkflowId } from '../cleanup/policy';
import type { CleanupStore, ClaimedPage, DeletionCounts } from '../db/cleanup-store';
import type { IncidentLog, IncidentKind } from '../db/incidents';
import type { LockOutcome, RunLock } from '../db/run-lock';
import { BOT_TASK, COMMAND_NAMES, CREATOR_ID, GUILD_ID } from '../search-attributes';
import type { customCommandGrace, GraceInput } from '../workflows/custom-command-grace';
import { forEachConcurrently, HEARTBEAT_EVERY_MS, listedNames, LISTED_NAMES } from './bounded';
import { DAY_MS } from '../duration';
import { isWorkflowRunning } from '../workflow-running';

export interface WarningLifecycleDeps {
  cleanup: CleanupStore;
  locks: RunLock;
  incidents: IncidentLog;
  temporal: Client;
  /** Task queue of the workflows (grace workflows run there). */
  taskQueue: string;
  now?: () => Date;
}

export type StartGraceInput = Omit<GraceInput, 'graceWorkflowId' | 'listed' | 'commandCount' | 'used'> & {
  /**
   * What the warning DM listed: how many commands, and the first names (within the search
   * attribute's budget). When every one of them is confirmed, the names are not read again.
   * Absent in runs begun before it was passed.
   */
  dm?: { commands: number; names: string[] };
};

/** Commands per deletion chunk: a few set-wise statements each, whatever the creator's size. */
const DELETION_CHUNK = 5000;
const DESCRIBE_CONCURRENCY = 8;

export function createWarningLifecycleActivities(deps: WarningLifecycleDeps) {
  const now = deps.now ?? (() => new Date());

  const isRunning = (workflowId: string) => isWorkflowRunning(deps.temporal, workflowId);

  return {
    /** The guild's run lease: refused while another run of the guild is in progress. */
    async acquireRunLock(guildId: string, runKey: string): Promise<LockOutcome> {
      return deps.locks.acquire(guildId, runKey, now(), isRunning);
    },

    async releaseRunLock(guildId: string, runKey: string): Promise<void> {
      await deps.locks.release(guildId, runKey);
    },

    /**
     * Repairs what earlier runs left: marks of runs that ended before confirming, and
     * warnings whose grace workflow no longer runs (cancelled, terminated, reset, failed):
     * those commands are unwarned, so this very run warns them again.
     */
    async reconcileWarnings(
      guildId: string,
      runKey: string,
    ): Promise<{ staleMarks: number; unwarned: number; overdue: number }> {
      const staleMarks = await deps.cleanup.clearStaleMarks(guildId, runKey);
      const ids = await deps.cleanup.graceWorkflowIds(guildId);
      let unwarned = 0;
      let checked = 0;
      await forEachConcurrently(ids, DESCRIBE_CONCURRENCY, async (id) => {
        if (!(await isRunning(id))) {
          const cleared = await deps.cleanup.clearWarningsOf(guildId, id);
          if (cleared > 0)
            log.warn('Unwarned commands whose grace period no longer runs', { graceWorkflowId: id, cleared });
          unwarned += cleared;
        }
        if (++checked % 100 === 0) Context.current().heartbeat({ checked });
      });
      const overdue = await deps.cleanup.countOverdue(guildId, new Date(now().getTime() - DAY_MS));
      return { staleMarks, unwarned, overdue };
    },

    async claimWarnPage(input: {
      guildId: string;
      cutoff: number;
      runKey: string;
      afterCreatorId: string | null;
      maxCommands: number;
      dryRun: boolean;
    }): Promise<ClaimedPage> {
      return deps.cleanup.claimWarnPage({ ...input, cutoff: new Date(input.cutoff) });
    },

    /**
     * Records the delivered warning on the creator's commands, then starts their grace
     * workflow. In that order: a grace workflow never waits on commands not yet warned,
     * and a warning without its workflow is repaired by the next run (reconcileWarnings).
     */
    async startGracePeriod({ dm, ...input }: StartGraceInput): Promise<{ commands: number }> {
      const workflowId = graceWorkflowId(input.guildId, input.creatorId, input.runKey);
      const commands = await deps.cleanup.confirmWarnings({
        guildId: input.guildId,
        creatorId: input.creatorId,
        runKey: input.runKey,
        selectedBefore: new Date(input.selectedBefore),
        warning: {
          warnedAt: new Date(input.warnedAt),
          deleteAfter: new Date(input.deleteAt),
          graceWorkflowId: workflowId,
        },
        ...(dm ? { listed: dm.commands } : {}),
      });
      if (commands === 0) return { commands };
      // A few names for the Web UI; the commands themselves stay in the database. Those the
      // DM listed, when it listed exactly the warned ones; read back otherwise.
      const listed = listedNames(
        dm && dm.commands === commands
          ? dm.names
          : await deps.cleanup.warnedNames(input.guildId, input.creatorId, workflowId, LISTED_NAMES),
      );
      await deps.temporal.workflow.start<typeof customCommandGrace>('customCommandGrace', {
        workflowId,
        taskQueue: deps.taskQueue,
        // A retry of this activity finds the workflow it already started.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [{ ...input, graceWorkflowId: workflowId, commandCount: commands, listed }],
        typedSearchAttributes: new TypedSearchAttributes([
          { key: GUILD_ID, value: input.guildId },
          { key: CREATOR_ID, value: input.creatorId },
          { key: COMMAND_NAMES, value: listed },
          { key: BOT_TASK, value: GRACE_TASK },
        ]),
        staticSummary: `Grace period of ${commands} command(s) of ${input.creatorId}, deletion after ${new Date(input.deleteAt).toISOString()}`,
      });
      return { commands };
    },

    /** The creator is not warned in this run after all (DM failed, or no grace period for them). */
    async releaseWarning(guildId: string, creatorId: string, runKey: string): Promise<number> {
      return deps.cleanup.releaseMarks(guildId, creatorId, runKey);
    },

    /** A grace period that could not start, or was cancelled: its commands are kept and unwarned. */
    async abandonGracePeriod(input: {
      guildId: string;
      creatorId: string;
      runKey: string;
      reason: string;
      report: boolean;
    }): Promise<number> {
      await deps.cleanup.releaseMarks(input.guildId, input.creatorId, input.runKey);
      const workflowId = graceWorkflowId(input.guildId, input.creatorId, input.runKey);
      const cleared = await deps.cleanup.clearWarningsOf(input.guildId, workflowId);
      log.warn('Grace period abandoned: its commands are kept', {
        workflowId,
        cleared,
        reason: input.reason,
      });
      if (input.report) await record('grace-not-started', input, cleared, input.reason);
      return cleared;
    },

    /**
     * The deletions at a grace deadline, chunk after chunk, heartbeating its progress
     * (a retry resumes the counts). A command that cannot be deleted is skipped and
     * reported; it never blocks the others.
     */
    async deleteWarnedCommands(input: {
      guildId: string;
      creatorId: string;
      runKey: string;
      warnedAt: number;
      selectedBefore: number;
      policy: CleanupPolicy;
      /** The moment of deletion as the workflow decided it. */
      at: number;
    }): Promise<Omit<DeletionCounts, 'failed'> & { failed: number }> {
      const context = Context.current();
      const totals = {
        deleted: 0,
        kept: 0,
        gone: 0,
        failed: 0,
        ...(context.info.heartbeatDetails as Partial<Record<string, number>> | undefined),
      };
      const idleBefore = new Date(Math.min(input.selectedBefore, deleteCutoff(input.at, input.policy)));
      const key = {
        guildId: input.guildId,
        creatorId: input.creatorId,
        runKey: input.runKey,
        warnedAt: input.warnedAt,
      };
      // The counts so far, also while a chunk is in flight: a worker lost mid-deletion (or a
      // start lost with a restarting server) is noticed at the heartbeat timeout, not hours later.
      const beat = setInterval(() => context.heartbeat({ ...totals }), HEARTBEAT_EVERY_MS);
      try {
        for (;;) {
          const chunk = await deps.cleanup.deleteWarnedChunk({
            ...key,
            idleBefore,
            now: now(),
            limit: DELETION_CHUNK,
          });
          totals.deleted += chunk.deleted;
          totals.kept += chunk.kept;
          totals.gone += chunk.gone;
          totals.failed += chunk.failed.length;
          context.heartbeat({ ...totals });
          if (!chunk.more) break;
        }
        const settled = await deps.cleanup.settleWarning(key, now());
        totals.kept += settled.kept;
        // From the archive, not this attempt's tally: an attempt whose result was lost (a worker
        // killed, a server restarted) did deletions a retry must still report, and DM.
        totals.deleted = settled.deletedInAll;
      } finally {
        clearInterval(beat);
      }
      if (totals.failed > 0)
        await record('deletion-failed', input, totals.failed, 'document breaks the data contract');
      return totals;
    },

    /** A deletion DM that could not be delivered: listed by the next summary. */
    async reportDeletionNotice(input: {
      guildId: string;
      creatorId: string;
      runKey: string;
      commands: number;
      reason: string;
    }): Promise<void> {
      await record('deletion-dm-failed', input, input.commands, input.reason);
    },
  };

  async function record(
    kind: IncidentKind,
    about: { guildId: string; creatorId: string; runKey: string },
    commands: number,
    reason: string,
  ): Promise<void> {
    await deps.incidents.record({
      guildId: about.guildId,
      kind,
      creatorId: about.creatorId,
      runKey: about.runKey,
      commands,
      reason,
      at: now(),
    });
  }
}

export type WarningLifecycleActivities = ReturnType<typeof createWarningLifecycleActivities>;
