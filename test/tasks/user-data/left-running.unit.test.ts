/**
 * What a closed cleanup run left running, from history events built here (no server): the
 * activities scheduled and never closed, and the local step after a delivered warning DM.
 */
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { activitiesLeftRunningMs } from '../../../src/user-data/left-running';

const LOCAL_MS = 120_000;
let nextId = 1;

/** An event as the history holds it (ids and durations as Long), from plain values. */
const event = (fields: Record<string, unknown>) =>
  temporal.api.history.v1.HistoryEvent.fromObject({ eventId: nextId++, ...fields });
const scheduled = (name: string, timeoutSeconds: number) =>
  event({
    activityTaskScheduledEventAttributes: {
      activityType: { name },
      startToCloseTimeout: { seconds: timeoutSeconds, nanos: 0 },
    },
  });
const completed = (scheduledEventId: number) =>
  event({ activityTaskCompletedEventAttributes: { scheduledEventId } });
const failed = (scheduledEventId: number) =>
  event({ activityTaskFailedEventAttributes: { scheduledEventId } });
const idOf = (scheduledEvent: temporal.api.history.v1.HistoryEvent) => Number(String(scheduledEvent.eventId));

describe('activitiesLeftRunningMs (unit, built events)', () => {
  it('is null when every activity closed and no warning DM was delivered', () => {
    const lease = scheduled('acquireRunLock', 600);
    const preflight = scheduled('preflight', 60);
    expect(
      activitiesLeftRunningMs([lease, completed(idOf(lease)), preflight, failed(idOf(preflight))], LOCAL_MS),
    ).toBeNull();
  });

  it('is the start-to-close timeout of an activity left open, the longest of several', () => {
    const dm = scheduled('sendWarnings', 60);
    const claim = scheduled('claimWarnPage', 600);
    const done = scheduled('reconcileWarnings', 600);
    expect(activitiesLeftRunningMs([dm, done, completed(idOf(done))], LOCAL_MS)).toBe(60_000);
    expect(activitiesLeftRunningMs([dm, claim], LOCAL_MS)).toBe(600_000);
  });

  it('counts the local step after a delivered warning DM (invisible until done), not after a failed one', () => {
    const delivered = scheduled('sendWarning', 60);
    const refused = scheduled('sendWarnings', 60);
    expect(activitiesLeftRunningMs([delivered, completed(idOf(delivered))], LOCAL_MS)).toBe(LOCAL_MS);
    expect(activitiesLeftRunningMs([refused, failed(idOf(refused))], LOCAL_MS)).toBeNull();
  });
});
