/**
 * Warning DMs sent several creators to an activity, under time skipping with the real
 * activities on FerretDB and the Discord emulator: the batch runs once, and a creator it
 * could not settle (an answer lost, a 429) is warned alone with the retry policy, after
 * the wait Discord asked for, and still gets exactly one DM.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { DEMO_MEMBERS } from '../../src/emulator';
import { createCleanupHarness, type CleanupHarness } from '../helpers/cleanup-harness';

const { alice, bob, carol, erin } = DEMO_MEMBERS;
const creators = [alice, bob, carol, erin];
const EventType = temporal.api.enums.v1.EventType;

let h: CleanupHarness;
beforeAll(async () => {
  h = await createCleanupHarness();
});
afterAll(async () => h?.teardown());
beforeEach(async () => h.reset());

/** The activity types the run scheduled, and its timers' durations in ms. */
async function activitiesAndTimers(workflowId: string) {
  const history = await h.harness.env.client.workflow.getHandle(workflowId).fetchHistory();
  const activities: string[] = [];
  const timersMs: number[] = [];
  for (const event of history.events ?? []) {
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      activities.push(event.activityTaskScheduledEventAttributes!.activityType!.name!);
    if (event.eventType === EventType.EVENT_TYPE_TIMER_STARTED) {
      const timeout = event.timerStartedEventAttributes!.startToFireTimeout!;
      timersMs.push(Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6));
    }
  }
  return { activities, timersMs };
}

describe('warning DMs in batches', () => {
  it('one activity for the creators; one whose answer was lost and one told to wait by a 429 are each warned alone, once', async () => {
    for (const [i, creator] of creators.entries()) await h.seedCommand(`idle-${i}`, creator, 70);
    // The first DM is stored but its answer is lost; one DM channel opening meets a 429.
    h.emulator.control.addFault({
      method: 'POST',
      path: '/channels/*/messages',
      kind: 'error',
      status: 500,
      when: 'after',
      count: 1,
    });
    h.emulator.control.addFault({
      method: 'POST',
      path: '/users/@me/channels',
      kind: 'rate-limit',
      retryAfter: 3,
      count: 1,
    });

    const { workflowId, result } = await h.withWorkers(() => h.runCleanup());
    h.emulator.control.faults.clear();

    expect(result).toMatchObject({ warnedCreators: 4, warnedCommands: 4, failedDeliveries: 0 });
    for (const creator of creators) {
      expect(h.emulator.control.messages({ recipientId: creator }), `DMs to ${creator}`).toHaveLength(1);
    }
    const { activities, timersMs } = await activitiesAndTimers(workflowId);
    const sends = activities.filter((name) => name.startsWith('sendWarning'));
    expect(sends.sort()).toEqual(['sendWarning', 'sendWarning', 'sendWarnings']);
    // The 429's Retry-After (3 s, and discord.js's offset) is waited for before that creator's own activity.
    expect(timersMs.filter((ms) => ms >= 3000 && ms < 4000)).toHaveLength(1);
  });

  it('a batch of one is a plain warning activity, retried by its policy', async () => {
    await h.seedCommand('idle-alone', alice, 70);
    h.emulator.control.addFault({ method: 'POST', path: '/channels/*/messages', kind: 'error', count: 1 });

    const { workflowId, result } = await h.withWorkers(() => h.runCleanup());
    h.emulator.control.faults.clear();

    expect(result).toMatchObject({ warnedCreators: 1, failedDeliveries: 0 });
    expect(h.emulator.control.messages({ recipientId: alice })).toHaveLength(1);
    const { activities } = await activitiesAndTimers(workflowId);
    expect(activities.filter((name) => name.startsWith('sendWarning'))).toEqual(['sendWarning']);
  });
});
