/**
 * The times a warning DM states and its grace period counts from: fixed by the first
 * attempt that sends, never earlier than the server scheduled the attempt, and moved to
 * Discord's own timestamp of the delivered message when that is later.
 */
import { Context } from '@temporalio/activity';
import type { CleanupPolicy, DeliveryOutcome } from '../cleanup/model';
import { DISCORD_EPOCH_MS } from '../discord';
import { isSnowflake } from '../commands/snowflake';

/**
 * The grace period counts from the moment Discord created the first message (its id's
 * timestamp): retries between building the DM and its delivery never shorten it. The
 * deadline stated in the DM is kept when it is later, so it is never earlier than said.
 */
export function deliveredTimes(
  outcome: DeliveryOutcome,
  times: { warnedAt: number; deleteAt: number },
  policy: CleanupPolicy,
): { warnedAt: number; deleteAt: number } {
  const first = outcome.status === 'sent' ? outcome.messageIds[0] : undefined;
  if (first === undefined || !isSnowflake(first)) return times;
  const warnedAt = Math.max(times.warnedAt, Number(BigInt(first) >> 22n) + DISCORD_EPOCH_MS);
  return { warnedAt, deleteAt: Math.max(times.deleteAt, warnedAt + policy.gracePeriodMs) };
}

/** When the server scheduled this attempt (its clock, also under time skipping); 0 outside an activity. */
export function attemptScheduledAt(): number {
  try {
    return Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    return 0;
  }
}

/** The times a warning's content was built from: the first attempt's, kept by every retry. */
export function warningTimes(
  params: Record<string, number> | undefined,
  fresh?: { builtAt: number; deleteAt: number },
): { warnedAt: number; deleteAt: number } {
  const merged = { ...fresh, ...params };
  return { warnedAt: merged.builtAt ?? 0, deleteAt: merged.deleteAt ?? 0 };
}
