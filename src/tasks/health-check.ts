/** The health check of one guild every few minutes, as a scheduled task (the monitor keeps the state). */
import { cleanupSettingsFor } from '../config';
import { createHealthActivities } from '../activities/health-checks';
import { HEALTH_CHECKS, type HealthReport } from '../health/model';
import { HEALTH_TASK } from '../health/names';
import type { HealthCheckInput } from '../workflows/health-check';
import { perGuildTask } from './search-attributes';
import type { ScheduledTask } from './task';

export const healthCheckTask: ScheduledTask<HealthReport> = {
  ...perGuildTask(HEALTH_TASK, 'Health check'),
  description:
    'Check the database, Discord, the guild, the admin channel and the workers; alert the admins on changes',
  workflowType: 'healthCheck',
  schedule: { variable: 'HEALTH_CHECK_SCHEDULE', default: 'every 5 minutes' },
  // Nothing to rehearse: a dry run is a real check (its notices are the monitor's).
  workflowArgs: (config, guildId) => [
    {
      guildId,
      adminChannels: cleanupSettingsFor(config, guildId).adminChannels,
      discordTaskQueue: config.temporal.discordTaskQueue,
    } satisfies HealthCheckInput,
  ],
  summary: (guildId) => `Health check of guild ${guildId}`,
  describeResult: (workflowId, report) =>
    [
      `${workflowId}: ${report.checks.every((check) => check.status === 'ok') ? 'all ok' : 'problems found'}`,
      ...HEALTH_CHECKS.flatMap((name) =>
        report.checks
          .filter((check) => check.name === name)
          .map((check) => `  ${check.name}: ${check.status} (${check.detail})`),
      ),
    ].join('\n'),
  activities: createHealthActivities,
};
