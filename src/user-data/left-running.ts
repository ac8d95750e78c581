/**
 * What a closed cleanup run may have left running, read from its history: the activities
 * scheduled and not closed when it closed (the server no longer waits for them, but the
 * worker running one goes on until its start-to-close timeout), and the local step that
 * follows a delivered warning DM (it records the warning and starts a grace period; a
 * local activity leaves no trace in the history until it is done).
 */
import type { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The activities whose completion is a delivered warning DM, followed by the local step. */
const WARNING_DM_ACTIVITIES: ReadonlySet<string> = new Set(['sendWarning', 'sendWarnings']);

/**
 * The longest time one of the run's activities may still run after its close: the
 * start-to-close timeout of each activity left open (its attempt may have started just
 * before the close), and `localTimeoutMs` once a warning DM was delivered. Null when the
 * run left nothing running.
 */
export function activitiesLeftRunningMs(events: HistoryEvent[], localTimeoutMs: number): number | null {
  const open = new Map<string, { type: string; timeoutMs: number }>();
  let warningDelivered = false;
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      open.set(String(event.eventId), {
        type: scheduled.activityType?.name ?? '',
        timeoutMs: optionalTsToMs(scheduled.startToCloseTimeout) ?? 0,
      });
      continue;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const closed =
      completed ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (!closed) continue;
    const key = String(closed.scheduledEventId);
    if (completed && WARNING_DM_ACTIVITIES.has(open.get(key)?.type ?? '')) warningDelivered = true;
    open.delete(key);
  }
  const timeouts = [...open.values()].map((activity) => activity.timeoutMs);
  if (warningDelivered) timeouts.push(localTimeoutMs);
  return timeouts.length > 0 ? Math.max(...timeouts) : null;
}
