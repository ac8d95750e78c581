/**
 * What the run's workflow histories say: the longest history (the target is under
 * 10,000 events), and where an activity's time goes (waiting in its task queue, running).
 */
import type { Client } from '@temporalio/client';

export interface ActivityTiming {
  activity: string;
  count: number;
  meanQueueMs: number;
  meanRunMs: number;
}

const GRACE_SAMPLE = 300;

/** The longest history among every run of `workflowId` and a sample of the grace workflows. */
export async function maxHistoryEvents(client: Client, workflowId: string): Promise<number> {
  let max = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    max = Math.max(max, history.events?.length ?? 0);
  }
  const graces: string[] = [];
  for await (const grace of client.workflow.list({ query: `WorkflowType = 'customCommandGrace'` }))
    graces.push(grace.workflowId);
  const step = Math.max(1, Math.floor(graces.length / GRACE_SAMPLE));
  for (let i = 0; i < graces.length; i += step) {
    const described = await client.workflow.getHandle(graces[i]!).describe();
    max = Math.max(max, described.historyLength);
  }
  return max;
}

/** Per activity type, over every run of `workflowId`: how long tasks waited and ran. */
export async function activityTimings(client: Client, workflowId: string): Promise<ActivityTiming[]> {
  const totals = new Map<string, { count: number; queue: number; run: number }>();
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    const scheduled = new Map<string, { type: string; at: number }>();
    const started = new Map<string, number>();
    for (const event of history.events ?? []) {
      const at = millis(event.eventTime);
      const id = String(event.eventId);
      if (event.activityTaskScheduledEventAttributes) {
        scheduled.set(id, { type: event.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at });
      } else if (event.activityTaskStartedEventAttributes) {
        started.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), at);
      } else if (event.activityTaskCompletedEventAttributes) {
        const key = String(event.activityTaskCompletedEventAttributes.scheduledEventId);
        const s = scheduled.get(key);
        const st = started.get(key);
        if (!s || st === undefined) continue;
        const t = totals.get(s.type) ?? { count: 0, queue: 0, run: 0 };
        t.count += 1;
        t.queue += st - s.at;
        t.run += at - st;
        totals.set(s.type, t);
      }
    }
  }
  return [...totals].map(([activity, t]) => ({
    activity,
    count: t.count,
    meanQueueMs: t.queue / t.count,
    meanRunMs: t.run / t.count,
  }));
}

/** How long the first claim of the warning sweep ran in that run (seconds). */
export async function firstClaimSeconds(client: Client, workflowId: string): Promise<number | null> {
  const timings = new Map<string, number>();
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let claimId: string | undefined;
  for (const event of history.events ?? []) {
    const at = millis(event.eventTime);
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'claimWarnPage' && !claimId) {
      claimId = String(event.eventId);
    } else if (
      event.activityTaskStartedEventAttributes &&
      String(event.activityTaskStartedEventAttributes.scheduledEventId) === claimId
    ) {
      timings.set('started', at);
    } else if (
      event.activityTaskCompletedEventAttributes &&
      String(event.activityTaskCompletedEventAttributes.scheduledEventId) === claimId
    ) {
      return (at - (timings.get('started') ?? at)) / 1000;
    }
  }
  return null;
}

function millis(time: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}
