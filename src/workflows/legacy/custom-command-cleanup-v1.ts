/**
 * FROZEN: the cleanup as it ran before each warning's commands stayed in the database
 * (runs started before that change replay and finish with this code; see
 * ../custom-command-cleanup.ts). Change nothing here that alters the commands it issues.
 *
 * One guild's daily custom command cleanup, started by its Schedule (or by hand).
 * Readable as the process it runs:
 *   1. preflight: token, guild, admin channel and permissions;
 *   2. warn: page through idle commands, one DM per creator, then record the warnings
 *      and start one grace workflow per creator (the deletions happen there, later);
 *   3. report: one summary in the admin channel with the schedule's real next run.
 * It never holds all commands: it pages by creator and continues as new before its
 * history grows large. A dry run computes the same counts and changes nothing.
 */
import {
  ActivityFailure,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import {
  MAX_LISTED_FAILURES,
  type CleanupPolicy,
  type CleanupResult,
  type CreatorBatch,
  type DeliveryOutcome,
  type FailedDelivery,
} from '../../cleanup/model';
import { batchDeadline, lastActivity, warnCutoff } from '../../cleanup/policy';
import type { CleanupDataActivities, DiscordActivities } from '../../activities';
import type { PreflightResult } from '../../discord/contract';
import { dataActivityOptions, discordActivityOptions } from '../activity-options';

export interface CleanupInputV1 {
  guildId: string;
  policy: CleanupPolicy;
  /** Admin channel names in order of preference. */
  adminChannels: string[];
  /** Task queue of the Discord activities (rate-capped worker). */
  discordTaskQueue: string;
  dryRun?: boolean;
  /** Commands per page; a page is processed, then the next is read. */
  pageSize?: number;
  /** Continue as new once the history has this many events (default 5000, well under 10,000). */
  continueAsNewAfterEvents?: number;
  /** Carried across continue-as-new; absent when the run starts. */
  progress?: CleanupProgressV1;
}

export interface CleanupProgressV1 {
  runKey: string;
  startedAt: number;
  /** One warning time for the whole run: every warned command gets the same deadline rule. */
  warnedAt: number;
  preflight: PreflightResult;
  afterCreatorId: string | null;
  warnedCreators: number;
  warnedCommands: number;
  failedDeliveries: number;
  failures: FailedDelivery[];
  skippedInvalidDocuments: number;
}

/** Continue as new well before the 10,000-event target, whatever the server suggests. */
const MAX_HISTORY_EVENTS = 5000;

export async function customCommandCleanupV1(input: CleanupInputV1): Promise<CleanupResult> {
  const progress = input.progress ?? (await startRun(input));
  await warnInactiveCommands(input, progress);
  return reportToAdmins(input, progress);
}

async function startRun(input: CleanupInputV1): Promise<CleanupProgressV1> {
  const { preflight } = discordActivities(input);
  // A guild the bot cannot see fails here, non-retryably, before anything is sent.
  const checked = await preflight.executeWithOptions(
    { ...discordActivityOptions(input.discordTaskQueue), summary: `Preflight of guild ${input.guildId}` },
    [{ guildId: input.guildId, adminChannelNames: input.adminChannels }],
  );
  if (checked.degradedReason)
    log.warn('Admin summary disabled for this run', { reason: checked.degradedReason });
  const now = Date.now();
  return {
    runKey: workflowInfo().workflowId,
    startedAt: now,
    warnedAt: now,
    preflight: checked,
    afterCreatorId: null,
    warnedCreators: 0,
    warnedCommands: 0,
    failedDeliveries: 0,
    failures: [],
    skippedInvalidDocuments: 0,
  };
}

async function warnInactiveCommands(input: CleanupInputV1, progress: CleanupProgressV1): Promise<void> {
  const { findWarnBatch } = dataActivities();
  const cutoff = warnCutoff(progress.warnedAt, input.policy);
  // Recording a page's warnings overlaps the next page's DMs, so Discord never waits on MongoDB.
  const recordings = new Recordings(patched('pipeline-warning-pages'));
  for (;;) {
    const page = await findWarnBatch(input.guildId, cutoff, progress.afterCreatorId, input.pageSize ?? 100);
    progress.skippedInvalidDocuments += page.skippedInvalid;
    if (input.dryRun) {
      progress.warnedCreators += page.batches.length;
      progress.warnedCommands += page.batches.reduce((n, b) => n + b.commands.length, 0);
    } else {
      await recordings.add((await warnCreators(input, progress, page.batches)).recording);
    }
    progress.afterCreatorId = page.nextCreatorId;
    if (page.nextCreatorId === null) return recordings.finish();
    const info = workflowInfo();
    if (
      info.continueAsNewSuggested ||
      info.historyLength > (input.continueAsNewAfterEvents ?? MAX_HISTORY_EVENTS)
    ) {
      await recordings.finish();
      await continueAsNew<typeof customCommandCleanupV1>({ ...input, progress });
    }
  }
}

/** Warning records in flight: awaited at once (histories from before the pipeline), or at the end. */
class Recordings {
  private pending: Promise<void>[] = [];
  private failure: Error | undefined;

  constructor(private readonly pipelined: boolean) {}

  async add(recording: Promise<void>): Promise<void> {
    if (!this.pipelined) return recording;
    // Caught here and rethrown by finish(): a rejection must not go unhandled meanwhile.
    this.pending.push(recording.catch((error: Error) => void (this.failure ??= error)));
  }

  async finish(): Promise<void> {
    await Promise.all(this.pending);
    this.pending = [];
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * One DM per creator of the page; then starts recording the warnings and their grace
 * periods, and returns that recording (in flight, wrapped so `await` does not wait for it).
 */
async function warnCreators(
  input: CleanupInputV1,
  progress: CleanupProgressV1,
  batches: CreatorBatch[],
): Promise<{ recording: Promise<void> }> {
  const { sendWarningDm } = discordActivities(input);
  const { recordWarnings } = dataActivities();
  const deadlineOf = (batch: CreatorBatch) => batchDeadline(batch.commands, progress.warnedAt, input.policy);

  const outcomes = await Promise.all(
    batches.map((batch) =>
      deliver(() =>
        sendWarningDm.executeWithOptions(
          {
            ...discordActivityOptions(input.discordTaskQueue),
            summary: `Warning DM to ${batch.creatorId}: ${batch.commands.length} command(s)`,
          },
          [
            {
              guildId: input.guildId,
              guildName: progress.preflight.guildName,
              creatorId: batch.creatorId,
              runKey: progress.runKey,
              deleteAt: deadlineOf(batch),
              commands: batch.commands.map((c) => ({ name: c.name, lastActivity: lastActivity(c) })),
              now: progress.warnedAt,
            },
          ],
        ),
      ),
    ),
  );

  const toRecord: { batch: CreatorBatch; deleteAt: number }[] = [];
  batches.forEach((batch, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status === 'sent') {
      progress.warnedCreators += 1;
      progress.warnedCommands += batch.commands.length;
    } else if (outcome.status === 'undeliverable') {
      noteFailure(progress, { creatorId: batch.creatorId, phase: 'warning', reason: outcome.reason });
    } else if (outcome.status === 'failed') {
      // Not warned at all: nothing is recorded, the next run tries again.
      noteFailure(progress, { creatorId: batch.creatorId, phase: 'warning', reason: 'other' });
    }
    // An unreachable creator (DMs closed, unknown, left) must not block the cleanup forever,
    // unless the operator says so. A failed send is not a warning: it never starts a grace period.
    if (
      outcome.status === 'sent' ||
      (outcome.status === 'undeliverable' && input.policy.deleteWhenUndeliverable)
    ) {
      toRecord.push({ batch, deleteAt: deadlineOf(batch) });
    }
  });
  if (toRecord.length === 0) return { recording: Promise.resolve() };
  const recording = recordWarnings.executeWithOptions(
    {
      ...dataActivityOptions,
      summary: `Record warnings of ${toRecord.length} creator(s), start grace periods`,
    },
    [
      {
        guildId: input.guildId,
        guildName: progress.preflight.guildName,
        runKey: progress.runKey,
        warnedAt: progress.warnedAt,
        policy: input.policy,
        discordTaskQueue: input.discordTaskQueue,
        batches: toRecord,
      },
    ],
  );
  return { recording: recording.then(() => undefined) };
}

async function reportToAdmins(input: CleanupInputV1, progress: CleanupProgressV1): Promise<CleanupResult> {
  const { gatherRunStats, recordSummary, purgeExpired } = dataActivities();
  const { postSummary } = discordActivities(input);
  const facts = await gatherRunStats(input.guildId);
  const result: CleanupResult = {
    guildId: input.guildId,
    dryRun: input.dryRun ?? false,
    warnedCreators: progress.warnedCreators,
    warnedCommands: progress.warnedCommands,
    deletedCommands: facts.deletedSinceLastSummary,
    failedDeliveries: progress.failedDeliveries,
    failures: progress.failures,
    skippedInvalidDocuments: progress.skippedInvalidDocuments,
    summary: { status: 'skipped-dry-run' },
    startedAt: progress.startedAt,
    finishedAt: Date.now(),
  };
  if (input.dryRun) return result;

  await purgeExpired();
  const channel = progress.preflight.adminChannel;
  if (!channel) {
    result.summary = { status: 'degraded', reason: progress.preflight.degradedReason ?? 'no admin channel' };
    return result;
  }
  try {
    await postSummary.executeWithOptions(
      { ...discordActivityOptions(input.discordTaskQueue), summary: `Admin summary to #${channel.name}` },
      [
        {
          guildId: input.guildId,
          guildName: progress.preflight.guildName,
          channelId: channel.id,
          runKey: progress.runKey,
          result,
          stats: facts.stats,
          nextRunAt: facts.nextRunAt,
        },
      ],
    );
  } catch (error) {
    // The channel went away or lost permissions since preflight: the run is degraded, not failed.
    if (!(error instanceof ActivityFailure)) throw error;
    result.summary = { status: 'degraded', reason: error.cause?.message ?? error.message };
    return result;
  }
  await recordSummary(input.guildId, facts.countedUntil, progress.runKey);
  result.summary = { status: 'posted', channelId: channel.id };
  return result;
}

/** A delivery that failed beyond its retries is reported, never fatal: one creator must not stop the run for the others. */
async function deliver(send: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('DM failed beyond retries', { error: error.cause?.message ?? error.message });
    return { status: 'failed', detail: error.cause?.message };
  }
}

function noteFailure(progress: CleanupProgressV1, failure: FailedDelivery): void {
  progress.failedDeliveries += 1;
  if (progress.failures.length < MAX_LISTED_FAILURES) progress.failures.push(failure);
}

function dataActivities() {
  return proxyActivities<CleanupDataActivities>(dataActivityOptions);
}

function discordActivities(input: CleanupInputV1) {
  return proxyActivities<DiscordActivities>(discordActivityOptions(input.discordTaskQueue));
}
