/**
 * One guild's weekly usage analytics, started by its Schedule (or by hand):
 *   1. read the week: uses per command, never used, at risk, pending deletions,
 *      creators, and the change against the week before (numbers and names only);
 *   2. report: the embed with its chart in the admin channel (the chart is drawn by
 *      the Discord activity, so its bytes stay out of this history).
 * A dry run reads the week and posts nothing.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AnalyticsDataActivities } from '../activities/analytics-data';
import type { AnalyticsReportActivities } from '../activities/analytics-report';
import type { AdminReportOutcome } from '../activities/admin-report';
import type { UsageAnalytics } from '../analytics/model';
import { failureReason } from './activity-proxies';

export interface UsageAnalyticsInput {
  guildId: string;
  /** The guild's cleanup warning threshold (ms): who is at risk depends on it. */
  warnAfterMs: number;
  /** Admin channel names in order of preference. */
  adminChannels: string[];
  /** Task queue of the Discord activities (rate-capped worker). */
  discordTaskQueue: string;
  dryRun?: boolean;
}

export interface UsageAnalyticsResult {
  analytics: UsageAnalytics;
  dryRun: boolean;
  report: AdminReportOutcome;
}

export async function usageAnalytics(input: UsageAnalyticsInput): Promise<UsageAnalyticsResult> {
  const analytics = await readTheWeek(input);
  const report = input.dryRun ? skipped('dry run') : await reportToAdmins(input, analytics);
  return { analytics, dryRun: input.dryRun ?? false, report };
}

// --- 1. read the week --------------------------------------------------------------

const data = proxyActivities<AnalyticsDataActivities>({
  // A handful of statements over one guild's commands and a week of usage days;
  // the heartbeat tells a dead worker from a slow FerretDB scan.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  // A database restart or failover: retried for an hour, then the run fails visibly.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  summary: 'Read the week of usage',
});

function readTheWeek(input: UsageAnalyticsInput): Promise<UsageAnalytics> {
  // The workflow's clock: the run's start, the same on every retry of the activity.
  return data.computeUsageAnalytics({
    guildId: input.guildId,
    warnAfterMs: input.warnAfterMs,
    at: Date.now(),
  });
}

// --- 2. report -----------------------------------------------------------------------

function discord(taskQueue: string) {
  return proxyActivities<AnalyticsReportActivities>({
    taskQueue,
    // Drawing the chart takes milliseconds; one message, maybe after a 429's Retry-After.
    startToCloseTimeout: '2 minutes',
    // A Discord outage delays the report, up to the next day's worth of retries, then gives up.
    scheduleToCloseTimeout: '12 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
    summary: 'Post the usage analytics to the admin channel',
  });
}

async function reportToAdmins(
  input: UsageAnalyticsInput,
  analytics: UsageAnalytics,
): Promise<AdminReportOutcome> {
  try {
    return await discord(input.discordTaskQueue).postUsageAnalytics({
      report: analytics,
      adminChannels: input.adminChannels,
      key: workflowInfo().workflowId,
    });
  } catch (error) {
    // The numbers are in the result either way: a report that could not be posted says why.
    return skipped(failureReason(error));
  }
}

function skipped(reason: string): AdminReportOutcome {
  return { status: 'skipped', reason };
}
