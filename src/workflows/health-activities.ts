/**
 * The health workflows' activities with their options. A health check must answer in
 * seconds and say "failing" rather than wait out an outage, so nothing here retries
 * for long: a check that cannot run is itself the finding.
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { AdminReportActivities, HealthActivities } from '../activities';

/** The ping gives up after 5 s itself; a second attempt only covers a worker lost mid-check. */
const databaseCheck: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 2 },
};

/** Five REST requests of at most 15 s each, some in parallel; no queue wait past a minute and a half. */
function discordCheck(taskQueue: string): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: '45 seconds',
    scheduleToCloseTimeout: '90 seconds',
    retry: { initialInterval: '2 seconds', maximumAttempts: 2 },
  };
}

/** Temporal calls (describe task queues, signal the monitor): brief, retried a few minutes at most. */
const temporalCall: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '4 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
};

/**
 * A notice to the admins: retried for three minutes, then left due for the next report
 * (five minutes later by default), so an outage of Discord never stalls the monitor.
 */
function noticePost(taskQueue: string): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: '3 minutes',
    retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds' },
  };
}

export const databaseCheckActivities = () =>
  proxyActivities<HealthActivities>({ ...databaseCheck, summary: 'Ping the database' });

export const discordCheckActivities = (taskQueue: string) =>
  proxyActivities<HealthActivities>({
    ...discordCheck(taskQueue),
    summary: 'Token, guild and admin channel (preflight)',
  });

export const temporalActivities = (summary: string) =>
  proxyActivities<HealthActivities>({ ...temporalCall, summary });

export const noticeActivities = (taskQueue: string) =>
  proxyActivities<AdminReportActivities>({ ...noticePost(taskQueue), summary: 'Tell the admins' });
