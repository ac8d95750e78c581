/**
 * One guild's daily custom command cleanup, started by its Schedule (or by hand).
 * Readable as the process it runs:
 *   1. start: take the guild's run lease (one run per guild at a time, however
 *      started), preflight (token, guild, admin channel), repair stale warnings;
 *   2. warn: claim a page of creators, DM each one the list of their idle commands,
 *      then record each delivered warning and start its grace workflow (deletions
 *      happen there, at the deadline the DM states);
 *   3. report: one summary in the admin channel with the schedule's real next run.
 * Commands stay in the database: the run holds creators and counts, pages by
 * creator and continues as new before its history grows large. A dry run computes
 * the same counts and changes nothing.
 */
import {
  CancellationScope,
  ContinueAsNew,
  continueAsNew,
  log,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { CleanupPolicy, CleanupResult } from '../cleanup/model';
import { warnCutoff } from '../cleanup/policy';
import type { ClaimedPage } from '../db/cleanup-store';
import type { PreflightResult } from '../discord/contract';
import { dataActivities, discordActivities, failureReason } from './activity-proxies';
import { warnCreator } from './warn-creator';
import { historyIsLong, warnInPipeline } from './warn-pages';

/** The page of runs from before the pipeline. */
const DEFAULT_PAGE_SIZE = 100;
import {
  customCommandCleanupV1,
  type CleanupInputV1,
  type CleanupProgressV1,
} from './legacy/custom-command-cleanup-v1';

export interface CleanupInput {
  guildId: string;
  policy: CleanupPolicy;
  /** Admin channel names in order of preference. */
  adminChannels: string[];
  /** Task queue of the Discord activities (rate-capped worker). */
  discordTaskQueue: string;
  dryRun?: boolean;
  /** Commands per page: the next page is claimed while a page's creators are being warned. */
  pageSize?: number;
  /** Creators warned at once (default MAX_IN_FLIGHT); the next page is claimed meanwhile. */
  maxInFlight?: number;
  /** Creators whose warning DMs one activity sends (default WARN_BATCH). */
  warnBatch?: number;
  /** Continue as new once the history has this many events (default 5000, well under 10,000). */
  continueAsNewAfterEvents?: number;
  /** Carried across continue-as-new; absent when the run starts. */
  progress?: CleanupProgress | CleanupProgressV1;
}

export interface CleanupProgress {
  version: 2;
  runKey: string;
  startedAt: number;
  /** Commands idle since at or before this instant are due a warning in this run. */
  cutoff: number;
  preflight: PreflightResult;
  afterCreatorId: string | null;
  /** Claimed and not warned yet when the run continued as new: warned first by the continuation. */
  claimed?: { creators: ClaimedPage['creators']; nextCreatorId: string | null };
  warnedCreators: number;
  warnedCommands: number;
  failedDeliveries: number;
  failures: CleanupResult['failures'];
  failuresByReason: NonNullable<CleanupResult['failuresByReason']>;
  skippedInvalidDocuments: number;
  reconciled?: CleanupResult['reconciled'];
  /** Set when another run of the guild holds the lease: this run does nothing. */
  refusedBecause?: string;
}

export async function customCommandCleanup(input: CleanupInput): Promise<CleanupResult> {
  // Runs started before warnings lived in the database finish as they began.
  if (input.progress ? !('version' in input.progress) : !patched('warnings-in-database')) {
    return customCommandCleanupV1(input as CleanupInputV1);
  }
  let holdsLease = !input.dryRun;
  try {
    const progress = (input.progress as CleanupProgress | undefined) ?? (await startRun(input));
    if (progress.refusedBecause) {
      holdsLease = false;
      return resultOf(input, progress, { status: 'not-needed', reason: progress.refusedBecause });
    }
    await warnInactiveCommands(input, progress);
    return await reportToAdmins(input, progress);
  } catch (error) {
    // The continuation of this run keeps the lease (it has the same workflow id).
    if (error instanceof ContinueAsNew) holdsLease = false;
    throw error;
  } finally {
    if (holdsLease) {
      const runKey = workflowInfo().workflowId;
      await CancellationScope.nonCancellable(() =>
        dataActivities({ summary: 'Release the guild run lease' }).releaseRunLock(input.guildId, runKey),
      );
    }
  }
}

async function startRun(input: CleanupInput): Promise<CleanupProgress> {
  const { guildId, dryRun } = input;
  const runKey = workflowInfo().workflowId;
  const startedAt = Date.now();
  const base = {
    version: 2 as const,
    runKey,
    startedAt,
    cutoff: warnCutoff(startedAt, input.policy),
    preflight: { botUserId: '', guildName: '' },
    afterCreatorId: null,
    warnedCreators: 0,
    warnedCommands: 0,
    failedDeliveries: 0,
    failures: [],
    failuresByReason: {},
    skippedInvalidDocuments: 0,
  };
  if (!dryRun) {
    const lease = await dataActivities({ summary: `Take the run lease of guild ${guildId}` }).acquireRunLock(
      guildId,
      runKey,
    );
    if (!lease.acquired) {
      log.warn('Another cleanup run of this guild is in progress: this run does nothing', {
        heldBy: lease.heldBy,
      });
      return { ...base, refusedBecause: `another cleanup run of this guild is in progress: ${lease.heldBy}` };
    }
  }
  // A guild the bot cannot see fails here, non-retryably, before anything is sent.
  const preflight = await discordActivities(input.discordTaskQueue, {
    summary: `Preflight of guild ${guildId}`,
  }).preflight({ guildId, adminChannelNames: input.adminChannels });
  if (preflight.degradedReason)
    log.warn('Admin summary disabled for this run', { reason: preflight.degradedReason });
  const reconciled = dryRun
    ? undefined
    : await dataActivities({ summary: 'Repair warnings left by earlier runs' }).reconcileWarnings(
        guildId,
        runKey,
      );
  return { ...base, preflight, ...(reconciled ? { reconciled } : {}) };
}

async function warnInactiveCommands(input: CleanupInput, progress: CleanupProgress): Promise<void> {
  if (patched('pipelined-warn-pages')) return warnInPipeline(input, progress);
  // Runs from before the pipeline: one page at a time.
  for (;;) {
    const page = await dataActivities({ summary: 'Claim the next creators to warn' }).claimWarnPage({
      guildId: input.guildId,
      cutoff: progress.cutoff,
      runKey: progress.runKey,
      afterCreatorId: progress.afterCreatorId,
      maxCommands: input.pageSize ?? DEFAULT_PAGE_SIZE,
      dryRun: input.dryRun ?? false,
    });
    progress.skippedInvalidDocuments += page.skippedInvalid;
    if (input.dryRun) {
      progress.warnedCreators += page.creators.length;
      progress.warnedCommands += page.creators.reduce((n, c) => n + c.commands, 0);
    } else {
      await Promise.all(page.creators.map((creator) => warnCreator(input, progress, creator)));
    }
    progress.afterCreatorId = page.nextCreatorId;
    if (page.nextCreatorId === null) return;
    if (historyIsLong(input)) await continueAsNew<typeof customCommandCleanup>({ ...input, progress });
  }
}

async function reportToAdmins(input: CleanupInput, progress: CleanupProgress): Promise<CleanupResult> {
  const facts = await dataActivities({ summary: 'Gather the statistics of the summary' }).gatherRunStats(
    input.guildId,
  );
  const result = resultOf(input, progress, { status: 'skipped-dry-run' });
  result.deletedCommands = facts.deletedSinceLastSummary;
  result.incidents = facts.incidents;
  if (input.dryRun) return result;

  const channel = progress.preflight.adminChannel;
  if (!channel) {
    result.summary = { status: 'degraded', reason: progress.preflight.degradedReason ?? 'no admin channel' };
  } else {
    try {
      await discordActivities(input.discordTaskQueue, {
        summary: `Admin summary to #${channel.name}`,
      }).postSummary({
        guildId: input.guildId,
        guildName: progress.preflight.guildName,
        channelId: channel.id,
        runKey: progress.runKey,
        result,
        stats: facts.stats,
        nextRunAt: facts.nextRunAt,
      });
      await dataActivities({ summary: 'Record the summary' }).recordSummary(
        input.guildId,
        facts.countedUntil,
        progress.runKey,
      );
      result.summary = { status: 'posted', channelId: channel.id };
    } catch (error) {
      // The channel went away or lost permissions since preflight: the run is degraded, not failed.
      result.summary = { status: 'degraded', reason: failureReason(error) };
    }
  }
  await purgeExpired();
  result.finishedAt = Date.now();
  return result;
}

/** Housekeeping after the summary: a failure is logged, never the run's. */
async function purgeExpired(): Promise<void> {
  try {
    await dataActivities({ summary: 'Purge archive and logs past retention' }).purgeExpired();
  } catch (error) {
    log.warn('Purge failed; the next run tries again', { reason: failureReason(error) });
  }
}

function resultOf(
  input: CleanupInput,
  progress: CleanupProgress,
  summary: CleanupResult['summary'],
): CleanupResult {
  return {
    guildId: input.guildId,
    dryRun: input.dryRun ?? false,
    status: progress.refusedBecause ? 'refused' : 'completed',
    ...(progress.refusedBecause ? { refusedBecause: progress.refusedBecause } : {}),
    warnedCreators: progress.warnedCreators,
    warnedCommands: progress.warnedCommands,
    deletedCommands: 0,
    failedDeliveries: progress.failedDeliveries,
    failures: progress.failures,
    failuresByReason: progress.failuresByReason,
    skippedInvalidDocuments: progress.skippedInvalidDocuments,
    ...(progress.reconciled ? { reconciled: progress.reconciled } : {}),
    summary,
    startedAt: progress.startedAt,
    finishedAt: Date.now(),
  };
}
