/**
 * A creator's warning within a cleanup run: the DM (alone, or in a batch of creators),
 * then (if it counts as a warning) the recorded warning and its grace period. A step that
 * fails beyond its retries is counted and reported, never fatal to the run; a cancellation
 * is rethrown.
 */
import { log, patched, sleep } from '@temporalio/workflow';
import { MAX_LISTED_FAILURES, type UndeliverableReason } from '../cleanup/model';
import type { BatchedWarning, WarningDelivery } from '../activities';
import { dataActivities, discordActivities, failureReason, localDataActivities } from './activity-proxies';
import type { CleanupInput, CleanupProgress } from './custom-command-cleanup';

type FailureReason = keyof CleanupProgress['failuresByReason'];

/** One creator: the DM, then (if it counts as a warning) the recorded warning and its grace period. */
export async function warnCreator(
  input: CleanupInput,
  progress: CleanupProgress,
  creator: { creatorId: string; commands: number },
): Promise<void> {
  await recordWarning(input, progress, creator, await sendWarning(input, progress, creator));
}

/**
 * Several creators' warnings: their DMs in one activity (one activity task and one workflow
 * task for them all), then each creator's own step. A creator the batch could not settle is
 * warned alone, with the retry policy, after the wait Discord asked for. One promise per
 * creator, settled when that creator is done.
 */
export function warnCreators(
  input: CleanupInput,
  progress: CleanupProgress,
  creators: { creatorId: string; commands: number }[],
): Promise<void>[] {
  const batch = sendWarnings(input, progress, creators);
  return creators.map(async (creator, i) => {
    const result = (await batch)[i];
    if (result === undefined || 'retry' in result) {
      if (result?.retry.afterMs) await sleep(result.retry.afterMs);
      return warnCreator(input, progress, creator);
    }
    return recordWarning(input, progress, creator, result);
  });
}

/** After the DM: if it counts as a warning, the recorded warning and its grace period. */
async function recordWarning(
  input: CleanupInput,
  progress: CleanupProgress,
  creator: { creatorId: string; commands: number },
  delivery: WarningDelivery,
): Promise<void> {
  const { guildId, policy } = input;
  const { creatorId } = creator;
  const { runKey } = progress;
  const { outcome } = delivery;
  if (outcome.status === 'sent' && delivery.commands === 0) return; // all used since the claim
  if (outcome.status !== 'sent') {
    noteFailure(progress, creatorId, outcome.status === 'undeliverable' ? outcome.reason : 'failed');
  }
  // An unreachable creator (DMs closed, unknown, left) must not block the cleanup forever, unless
  // the operator says so. A failed send is no warning: the next run tries again.
  const counts =
    outcome.status === 'sent' || (outcome.status === 'undeliverable' && policy.deleteWhenUndeliverable);
  if (!counts) {
    await dataActivities({ summary: `Release the warning of ${creatorId}` }).releaseWarning(
      guildId,
      creatorId,
      runKey,
    );
    return;
  }
  try {
    // A local activity since the patch; runs begun before it go on with a regular one.
    const record = patched('grace-start-local-activity') ? localDataActivities : dataActivities;
    const { commands } = await record({
      summary: `Record the warning of ${creatorId}, start the grace period`,
    }).startGracePeriod({
      guildId,
      guildName: progress.preflight.guildName,
      creatorId,
      runKey,
      warnedAt: delivery.warnedAt,
      deleteAt: delivery.deleteAt,
      selectedBefore: progress.cutoff,
      policy,
      discordTaskQueue: input.discordTaskQueue,
      // What the DM listed, so the names need not be read back (absent from older workers).
      ...(delivery.names ? { dm: { commands: delivery.commands, names: delivery.names } } : {}),
    });
    if (outcome.status === 'sent' && commands > 0) {
      progress.warnedCreators += 1;
      progress.warnedCommands += commands;
    }
  } catch (error) {
    const reason = failureReason(error);
    await dataActivities({ summary: `Abandon the warning of ${creatorId}` }).abandonGracePeriod({
      guildId,
      creatorId,
      runKey,
      reason,
      report: true,
    });
    if (outcome.status === 'sent') noteFailure(progress, creatorId, 'grace-not-started');
  }
}

/** A DM that fails beyond its retries is reported, never fatal to the run. */
async function sendWarning(
  input: CleanupInput,
  progress: CleanupProgress,
  creator: { creatorId: string; commands: number },
): Promise<WarningDelivery> {
  try {
    return await discordActivities(input.discordTaskQueue, {
      summary: `Warning DM to ${creator.creatorId}: ${creator.commands} command(s)`,
    }).sendWarning({
      guildId: input.guildId,
      guildName: progress.preflight.guildName,
      creatorId: creator.creatorId,
      runKey: progress.runKey,
      policy: input.policy,
      notBefore: Date.now(),
    });
  } catch (error) {
    const reason = failureReason(error);
    log.warn('Warning DM failed beyond retries', { creatorId: creator.creatorId, reason });
    return {
      outcome: { status: 'failed', detail: reason },
      commands: creator.commands,
      warnedAt: 0,
      deleteAt: 0,
    };
  }
}

/** The batch's DMs; a batch that failed as a whole leaves every creator to be warned alone. */
async function sendWarnings(
  input: CleanupInput,
  progress: CleanupProgress,
  creators: { creatorId: string; commands: number }[],
): Promise<BatchedWarning[]> {
  try {
    return await discordActivities(input.discordTaskQueue, {
      summary: `Warning DMs to ${creators.length} creators, from ${creators[0]!.creatorId}`,
      // Once: what a retry would fix is retried creator by creator.
      retry: { maximumAttempts: 1 },
    }).sendWarnings({
      guildId: input.guildId,
      guildName: progress.preflight.guildName,
      creatorIds: creators.map((c) => c.creatorId),
      runKey: progress.runKey,
      policy: input.policy,
      notBefore: Date.now(),
    });
  } catch (error) {
    const reason = failureReason(error);
    log.warn('Batch of warning DMs failed: each creator is warned alone', {
      creators: creators.length,
      reason,
    });
    return creators.map(() => ({ retry: { reason } }));
  }
}

export function noteFailure(progress: CleanupProgress, creatorId: string, reason: FailureReason): void {
  progress.failedDeliveries += 1;
  progress.failuresByReason[reason] = (progress.failuresByReason[reason] ?? 0) + 1;
  if (progress.failures.length < MAX_LISTED_FAILURES) {
    const listed: UndeliverableReason =
      reason === 'failed' || reason === 'grace-not-started' ? 'other' : reason;
    progress.failures.push({ creatorId, phase: 'warning', reason: listed });
  }
}
