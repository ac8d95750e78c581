/**
 * Sends one notification (at most a few messages) exactly once, whatever the retries.
 *
 * Each part's attempt is written to the notification log before the part is sent, and
 * its message id after. A retry (a lost response, a worker killed mid-send, a timeout)
 * skips the parts whose id is known. For a part whose outcome is unknown:
 *   - within Discord's nonce window, the same nonce is sent again and Discord answers
 *     with the message it already has;
 *   - past it, the channel's recent messages are checked before sending again.
 * The activity heartbeats between parts (not after the last: the completion follows, and
 * each heartbeat is a write of the workflow's state on the server) and stops between
 * parts when cancelled.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { DeliveryOutcome } from '../cleanup/model';
import type { NotificationLog, NotificationRecord } from '../db/contract';
import type { MessagePayload } from '../discord/contract';
import { UndeliverableError } from '../discord/undeliverable';

/**
 * How long after an attempt its nonce is trusted to dedupe a resend. Discord says "a few
 * minutes" and publishes no number: two minutes stays well inside it.
 */
export const NONCE_TRUST_MS = 2 * 60 * 1000;
/** Clock skew allowed between this process and Discord when searching the channel. */
const CLOCK_SKEW_MS = 30 * 1000;

export interface PartSender {
  /** Posts one part with the nonce of `partKey`; `undeliverable` ends the delivery. */
  send(message: MessagePayload, partKey: string): Promise<DeliveryOutcome>;
  /** The channel the parts go to (for the history check). */
  channelId(): Promise<string>;
  findPostedMessage(channelId: string, message: MessagePayload, notBefore: number): Promise<string | null>;
}

export interface DeliveryDeps {
  notifications: NotificationLog;
  now: () => Date;
}

/** What a settled record says, or null when the delivery is still to be done. */
export function settledOutcome(record: NotificationRecord | null): DeliveryOutcome | null {
  if (record?.status === 'sent') return { status: 'sent', messageIds: record.messageIds ?? [] };
  if (record?.status === 'undeliverable') {
    return { status: 'undeliverable', reason: (record.reason ?? 'other') as 'other' };
  }
  return null;
}

/**
 * Whether a delivery may still be built afresh: nothing of it is known to have gone
 * out. True when no part was attempted, or when the only attempt, older than the nonce
 * window, is not in the channel (its request never reached Discord).
 */
export async function nothingWentOut(
  record: NotificationRecord,
  firstPart: () => MessagePayload | undefined,
  sender: PartSender,
  now: number,
): Promise<boolean> {
  const parts = Object.values(record.parts ?? {});
  if (parts.length === 0) return true;
  if (parts.some((p) => p.messageId) || parts.length > 1) return false;
  const attemptedAt = record.parts?.p0?.attemptedAt;
  const message = firstPart();
  if (!attemptedAt || !message || now - attemptedAt.getTime() <= NONCE_TRUST_MS) return false;
  return (
    (await sender.findPostedMessage(
      await sender.channelId(),
      message,
      attemptedAt.getTime() - CLOCK_SKEW_MS,
    )) === null
  );
}

export async function deliverParts(
  deps: DeliveryDeps,
  record: NotificationRecord,
  messages: MessagePayload[],
  sender: PartSender,
): Promise<DeliveryOutcome> {
  const key = record._id;
  const ids: string[] = [];
  let justSent: { part: number; messageId: string } | undefined;
  for (const [part, message] of messages.entries()) {
    if (justSent) await deps.notifications.partSent(key, justSent.part, justSent.messageId);
    justSent = undefined;
    throwIfCancelled();
    const state = record.parts?.[`p${part}`];
    let id = state?.messageId;
    if (!id && state?.attemptedAt && deps.now().getTime() - state.attemptedAt.getTime() > NONCE_TRUST_MS) {
      const found = await sender.findPostedMessage(
        await sender.channelId(),
        message,
        state.attemptedAt.getTime() - CLOCK_SKEW_MS,
      );
      if (found) {
        await deps.notifications.partSent(key, part, found);
        id = found;
      }
    }
    if (!id) {
      // The channel first (remembered, or opened): a failure there is no attempt at the message.
      try {
        await sender.channelId();
      } catch (error) {
        if (!(error instanceof UndeliverableError)) throw error;
        await deps.notifications.settle(key, { status: 'undeliverable', reason: error.reason });
        return { status: 'undeliverable', reason: error.reason, detail: error.detail };
      }
      await deps.notifications.partAttempted(key, part, deps.now());
      const outcome = await sender.send(message, `${key}#${part}`);
      if (outcome.status !== 'sent') {
        if (outcome.status === 'undeliverable') {
          await deps.notifications.settle(key, { status: 'undeliverable', reason: outcome.reason });
        }
        return outcome;
      }
      id = outcome.messageIds[0]!;
      // Recorded before the next part is sent, or with the outcome after the last one.
      justSent = { part, messageId: id };
    }
    ids.push(id);
    if (part < messages.length - 1) heartbeat({ part });
  }
  await deps.notifications.settle(key, { status: 'sent', messageIds: ids }, justSent);
  return { status: 'sent', messageIds: ids };
}

function heartbeat(details: unknown): void {
  // Also usable outside an activity (unit tests call it directly).
  try {
    Context.current().heartbeat(details);
  } catch {
    /* not in an activity */
  }
}

function throwIfCancelled(): void {
  let signal: AbortSignal | undefined;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return;
  }
  if (signal.aborted) throw new CancelledFailure('Activity cancelled: the remaining parts were not sent');
}
