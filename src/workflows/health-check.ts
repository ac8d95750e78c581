/**
 * One health check of one guild, started by its Schedule every few minutes:
 *
 *   1. run the checks side by side: the database (reachable, latency), Discord (token,
 *      guild access, admin channel permissions) and the workers (pollers on both queues);
 *   2. hand the report to the guild's monitor, which keeps the state and tells the admins
 *      of changes (health-monitor.ts).
 *
 * A check that cannot run at all (its activity timed out, no worker took it) is reported
 * failing with that reason: the report always comes out, whatever is down.
 */
import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import type { CheckResult, HealthCheckName, HealthReport } from '../health/model';
import { databaseCheckActivities, discordCheckActivities, temporalActivities } from './health-activities';

export interface HealthCheckInput {
  guildId: string;
  /** Admin channel names in order of preference (CLEANUP_ADMIN_CHANNELS). */
  adminChannels: string[];
  discordTaskQueue: string;
}

export async function healthCheck(input: HealthCheckInput): Promise<HealthReport> {
  const checkedAt = new Date().toISOString();
  const checks = await runChecks(input);
  const report: HealthReport = { guildId: input.guildId, checkedAt, checks };
  await temporalActivities('Hand the report to the guild monitor').healthReportToMonitor({
    report,
    adminChannels: input.adminChannels,
    discordTaskQueue: input.discordTaskQueue,
  });
  return report;
}

async function runChecks(input: HealthCheckInput): Promise<CheckResult[]> {
  const [database, discord, worker] = await Promise.all([
    orFailing(['database'], async () => [await databaseCheckActivities().healthPingDatabase()]),
    orFailing(['discord-api', 'guild', 'admin-channel'], () =>
      discordCheckActivities(input.discordTaskQueue).healthCheckDiscord({
        guildId: input.guildId,
        adminChannels: input.adminChannels,
      }),
    ),
    orFailing(['worker'], async () => [
      await temporalActivities('Pollers on both task queues').healthCheckWorkers(),
    ]),
  ]);
  return [...database, ...discord, ...worker];
}

/** The checks as failing when their activity itself failed; the first named is the one blamed, the rest unknown. */
async function orFailing(
  names: HealthCheckName[],
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    const reason = `the check did not complete: ${error.cause?.message ?? error.message}`;
    return names.map((name, index) =>
      index === 0
        ? { name, status: 'failing', detail: reason }
        : { name, status: 'unknown', detail: 'not checked' },
    );
  }
}
