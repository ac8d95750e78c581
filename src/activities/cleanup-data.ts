/**
 * The cleanup's MongoDB work (and the Temporal calls that go with it), thin over the
 * command store. Every activity is idempotent: it may run more than once.
 */
import { WorkflowIdConflictPolicy, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { log } from '@temporalio/activity';
import {
  MAX_LISTED_FAILURES,
  type CleanupPolicy,
  type CommandRef,
  type CreatorBatch,
  type RunIncident,
} from '../cleanup/model';
import type { CleanupStore } from '../db/cleanup-store';
import type { IncidentLog } from '../db/incidents';
import { cleanupScheduleId, deleteCutoff, GRACE_TASK, graceWorkflowId } from '../cleanup/policy';
import type { CommandStore, GuildStats, NotificationLog, RunLog, WarnBatchPage } from '../db/contract';
import { BOT_TASK, COMMAND_NAMES, CREATOR_ID, GUILD_ID } from '../search-attributes';
import type { customCommandGrace } from '../workflows/custom-command-grace';
import { forEachConcurrently, namesWithin, SEARCH_ATTRIBUTE_BYTES } from './bounded';

/** Where the next scheduled run is read; the Temporal-backed one is `temporalScheduleReader`. */
export interface ScheduleReader {
  nextRunAt(guildId: string): Promise<number | null>;
}

export interface CleanupDataDeps {
  store: CommandStore;
  cleanup: CleanupStore;
  incidents: IncidentLog;
  runs: RunLog;
  notifications: NotificationLog;
  /** Starts grace workflows. */
  temporal: Client;
  schedules: ScheduleReader;
  /** Task queue of the workflows (grace workflows run there). */
  taskQueue: string;
  archiveRetentionMs: number;
  now?: () => Date;
}

export interface RecordWarningsInput {
  guildId: string;
  guildName: string;
  runKey: string;
  warnedAt: number;
  policy: CleanupPolicy;
  discordTaskQueue: string;
  batches: { batch: CreatorBatch; deleteAt: number }[];
}

export interface DeletionInput {
  guildId: string;
  commands: CommandRef[];
  warnedAt: number;
  policy: CleanupPolicy;
  /** The moment of deletion as the workflow decided it; a later retry only makes the check stricter. */
  at: number;
}

type Named = { commandId: string; name: string };

export interface DeletionReport {
  deleted: (Named & { archiveId: string })[];
  kept: Named[];
  gone: Named[];
}

export interface RunFacts {
  stats: GuildStats;
  deletedSinceLastSummary: number;
  /** The instant the deletions were counted up to: the next summary counts from there. */
  countedUntil: number;
  /** The schedule's real next run (epoch ms), null when the guild has no schedule. */
  nextRunAt: number | null;
  /** Incidents since the previous summary (the first ones listed). */
  incidents: { total: number; listed: RunIncident[] };
}

const RECORD_CONCURRENCY = 8;
const STATIC_DETAILS_BYTES = 8000;

export function createCleanupDataActivities(deps: CleanupDataDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    async findWarnBatch(
      guildId: string,
      idleCutoff: number,
      afterCreatorId: string | null,
      maxCommands: number,
    ): Promise<WarnBatchPage> {
      return deps.store.findWarnBatch(guildId, new Date(idleCutoff), afterCreatorId, maxCommands);
    },

    /**
     * Starts (or finds) each creator's grace workflow, then records the warnings on the
     * commands still as selected. In that order: a grace workflow whose commands were not
     * recorded deletes nothing (the conditional delete requires this warning), while a
     * recorded warning without its workflow would never be deleted nor warned again.
     * One creator failing does not stop the others; they are retried by the next run.
     */
    async recordWarnings(
      input: RecordWarningsInput,
    ): Promise<{ creators: number; commands: number; failedCreators: string[] }> {
      const counts = { creators: 0, commands: 0, failedCreators: [] as string[] };
      // A few creators at a time: each is a workflow start and a conditional update.
      await forEachConcurrently(input.batches, RECORD_CONCURRENCY, async ({ batch, deleteAt }) => {
        const workflowId = graceWorkflowId(input.guildId, batch.creatorId, input.runKey);
        try {
          await deps.temporal.workflow.start<typeof customCommandGrace>('customCommandGrace', {
            workflowId,
            taskQueue: deps.taskQueue,
            // A retry of this activity finds the workflow it already started.
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            args: [
              {
                guildId: input.guildId,
                guildName: input.guildName,
                creatorId: batch.creatorId,
                runKey: input.runKey,
                warnedAt: input.warnedAt,
                deleteAt,
                commands: batch.commands,
                policy: input.policy,
                discordTaskQueue: input.discordTaskQueue,
              },
            ],
            typedSearchAttributes: new TypedSearchAttributes([
              { key: GUILD_ID, value: input.guildId },
              { key: CREATOR_ID, value: batch.creatorId },
              {
                key: COMMAND_NAMES,
                value: namesWithin(
                  batch.commands.map((c) => c.name),
                  SEARCH_ATTRIBUTE_BYTES,
                ),
              },
              { key: BOT_TASK, value: GRACE_TASK },
            ]),
            staticSummary: `Grace period of ${batch.commands.length} command(s) of ${batch.creatorId}, deletion after ${new Date(deleteAt).toISOString()}`,
            staticDetails: namesWithin(
              batch.commands.map((c) => c.name),
              STATIC_DETAILS_BYTES,
            )
              .map((name) => `- ${name}`)
              .join('\n'),
          });
        } catch (error) {
          log.warn('Grace workflow not started: warnings not recorded, the next run retries', {
            creatorId: batch.creatorId,
            error: error instanceof Error ? error.message : String(error),
          });
          counts.failedCreators.push(batch.creatorId);
          return;
        }
        const recorded = await deps.store.recordWarning(input.guildId, batch.commands, {
          warnedAt: input.warnedAt,
          deleteAfter: deleteAt,
          runKey: input.runKey,
          graceWorkflowId: workflowId,
        });
        if (recorded.length > 0) counts.creators += 1;
        counts.commands += recorded.length;
      });
      return counts;
    },

    /** The conditional deletes at a grace deadline, each archived first (see CommandStore). */
    async deleteIdleCommands(input: DeletionInput): Promise<DeletionReport> {
      const report: DeletionReport = { deleted: [], kept: [], gone: [] };
      const cutoff = new Date(deleteCutoff(input.at, input.policy));
      for (const command of input.commands) {
        const outcome = await deps.store.deleteIfStillIdle(
          input.guildId,
          command,
          input.warnedAt,
          cutoff,
          now(),
        );
        const named = { commandId: command.id, name: command.name };
        if (outcome.status === 'deleted') report.deleted.push({ ...named, archiveId: outcome.archiveId });
        else if (outcome.status === 'kept') report.kept.push(named);
        else report.gone.push(named);
      }
      return report;
    },

    async gatherRunStats(guildId: string): Promise<RunFacts> {
      const countedUntil = now();
      const since = (await deps.runs.lastSummaryAt(guildId)) ?? new Date(0);
      // Up to countedUntil only: a deletion after it belongs to the next summary, never to two.
      const [stats, deletedSinceLastSummary, nextRunAt, incidents] = await Promise.all([
        deps.store.stats(guildId),
        deps.cleanup.countDeletedBetween(guildId, since, countedUntil),
        deps.schedules.nextRunAt(guildId),
        deps.incidents.between(guildId, since, countedUntil, MAX_LISTED_FAILURES),
      ]);
      return {
        stats,
        deletedSinceLastSummary,
        countedUntil: countedUntil.getTime(),
        nextRunAt,
        incidents: {
          total: incidents.total,
          listed: incidents.listed.map(({ kind, creatorId, commands, reason }) => ({
            kind,
            creatorId,
            commands,
            reason,
          })),
        },
      };
    },

    async recordSummary(guildId: string, countedUntil: number, runKey: string): Promise<void> {
      await deps.runs.recordSummary(guildId, new Date(countedUntil), runKey);
    },

    /** Archive and notification log entries past retention (FerretDB has no TTL indexes). */
    async purgeExpired(): Promise<{ archive: number; notifications: number; incidents: number }> {
      const before = new Date(now().getTime() - deps.archiveRetentionMs);
      return {
        archive: await deps.store.purgeArchive(before),
        notifications: await deps.notifications.purge(before),
        incidents: await deps.incidents.purge(before),
      };
    },
  };
}

/** The next run as the guild's Schedule really has it (null when unscheduled or paused). */
export function temporalScheduleReader(temporal: Client): ScheduleReader {
  return {
    async nextRunAt(guildId) {
      try {
        const description = await temporal.schedule.getHandle(cleanupScheduleId(guildId)).describe();
        if (description.state.paused) return null;
        return description.info.nextActionTimes[0]?.getTime() ?? null;
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
    },
  };
}
