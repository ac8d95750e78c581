/** The weekly usage analytics of one guild, as a scheduled task. */
import type { UsageAnalytics } from '../analytics/model';
import { formatChange } from '../analytics/policy';
import { createAnalyticsDataActivities } from '../activities/analytics-data';
import { createAnalyticsReportActivities } from '../activities/analytics-report';
import { cleanupSettingsFor } from '../config';
import type { UsageAnalyticsInput, UsageAnalyticsResult } from '../workflows/usage-analytics';
import { perGuildTask } from './search-attributes';
import type { ScheduledTask } from './task';

export const USAGE_ANALYTICS_TASK = 'usage-analytics';

export const usageAnalyticsTask: ScheduledTask<UsageAnalyticsResult> = {
  ...perGuildTask(USAGE_ANALYTICS_TASK, 'Weekly usage analytics'),
  description:
    'Weekly usage of custom commands (most and least used, never used, at risk, pending deletions) with a chart, to the admin channel',
  workflowType: 'usageAnalytics',
  // Mondays, for the week that just ended.
  schedule: { variable: 'USAGE_ANALYTICS_SCHEDULE', default: '0 6 * * 1' },
  workflowArgs: (config, guildId, { dryRun }) => {
    const { policy, adminChannels } = cleanupSettingsFor(config, guildId);
    return [
      {
        guildId,
        warnAfterMs: policy.warnAfterMs,
        adminChannels,
        discordTaskQueue: config.temporal.discordTaskQueue,
        dryRun,
      } satisfies UsageAnalyticsInput,
    ];
  },
  describeResult,
  activities: async ({ db, discord }) => ({
    data: await createAnalyticsDataActivities({ db }),
    discord: createAnalyticsReportActivities({ discord }),
  }),
};

function describeResult(workflowId: string, { analytics: a, dryRun, report }: UsageAnalyticsResult): string {
  const names = (list: { name: string }[]) => list.map((c) => c.name).join(', ') || 'none';
  return [
    `${workflowId}${dryRun ? ' (dry run: nothing posted)' : ''}`,
    `  week: ${a.week.from} to ${a.week.to}`,
    `  uses: ${a.uses.week}, ${formatChange(a.uses.week, a.uses.previousWeek)} on the week before`,
    `  commands: ${a.commands.total}, ${a.commands.usedThisWeek} used, ${a.commands.neverUsed} never used`,
    `  created: ${a.created.week}, ${formatChange(a.created.week, a.created.previousWeek)}`,
    `  creators: ${a.creators.total}, ${a.creators.activeThisWeek} active`,
    `  at risk within 7 days: ${a.commands.atRisk}; pending deletions: ${a.commands.pendingDeletions}`,
    `  most used: ${names(topWithUses(a))}`,
    `  least used: ${names(a.least)}`,
    `  admin report: ${report.status}${report.status === 'skipped' ? ` (${report.reason})` : ''}`,
  ].join('\n');
}

function topWithUses(a: UsageAnalytics): { name: string }[] {
  return a.top.map((c) => ({ name: `${c.name} (${c.uses})` }));
}
