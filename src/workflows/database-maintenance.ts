/**
 * The daily database maintenance of one guild: the declared indexes verified and the
 * missing ones recreated, the guild's archive, logs and backups past retention purged
 * a bounded amount per run, its collections counted and checked, and a short admin
 * embed only when something was repaired or looks wrong.
 */
import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { AdminReportActivities, MaintenanceActivities } from '../activities';
import type { PurgeTarget } from '../db/expired-entries';
import type { MaintenanceReport, MaintenanceResult, PurgeOutcome } from '../maintenance/model';
import { buildMaintenanceEmbed, needsAdminReport } from '../maintenance/report';
import { DAY_MS } from '../duration';
import { failureReason } from './activity-proxies';

export interface MaintenanceInput {
  guildId: string;
  adminChannels: string[];
  discordTaskQueue: string;
  retention: {
    /** Archive entries (and withdrawal marks) after their deletion: CLEANUP_ARCHIVE_RETENTION. */
    archiveMs: number;
    /** Notification log and cleanup incidents: LOG_RETENTION. */
    logMs: number;
    /** Backup files: BACKUP_RETENTION_DAYS. */
    backupDays: number;
  };
  /** Ids per delete statement, and statements per collection per run: one run stays short. */
  purge: { batchSize: number; maxBatches: number };
  dryRun: boolean;
}

/** Bounded statements, each a few seconds: retried for an hour (a database restart, a failover). */
const databaseWork: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  // Every activity heartbeats while it runs: a worker lost mid-purge is noticed in seconds.
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** One admin message; an hour late is still worth reading, a day late is not: tomorrow's run tells again. */
const adminPost = (taskQueue: string): ActivityOptions => ({
  taskQueue,
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const maintenance = (summary: string) => proxyActivities<MaintenanceActivities>({ ...databaseWork, summary });

/** What each purged collection keeps: archive entries as long as the archive, logs as long as logs. */
const RETENTION_OF: Record<Exclude<PurgeTarget, 'usage'>, keyof MaintenanceInput['retention']> = {
  archive: 'archiveMs',
  withdrawals: 'archiveMs',
  notifications: 'logMs',
  incidents: 'logMs',
};

/**
 * Uses per command and day (`command_usage`) are kept as long as logs, and never less than
 * five weeks: the weekly analytics compare a week with the one before.
 */
const USAGE_MIN_RETENTION_MS = 35 * DAY_MS;

function retentionOf(target: PurgeTarget, input: MaintenanceInput): number {
  if (target === 'usage') return Math.max(input.retention.logMs, USAGE_MIN_RETENTION_MS);
  return input.retention[RETENTION_OF[target]];
}

export async function databaseMaintenance(input: MaintenanceInput): Promise<MaintenanceResult> {
  const startedAt = Date.now();
  // 1. Indexes: listed, the missing ones created again.
  const indexes = await maintenance('Verify and repair indexes').maintenanceCheckIndexes({
    dryRun: input.dryRun,
  });
  // 2. Retention: the guild's entries past it, a bounded amount per run.
  const purges = await purgeExpired(input);
  // 3. The guild's data: statistics, and what breaks the contract.
  const inspection = await maintenance('Collection statistics and checks').maintenanceInspectGuild(
    input.guildId,
  );
  const findings = { indexes, purges, inspection };
  // 4. The admins hear of it only when something was repaired or looks wrong.
  const adminReport = await reportToAdmins(input, findings);
  return {
    guildId: input.guildId,
    dryRun: input.dryRun,
    startedAt,
    finishedAt: Date.now(),
    ...findings,
    adminReport,
  };
}

async function purgeExpired(input: MaintenanceInput): Promise<PurgeOutcome[]> {
  const purges: PurgeOutcome[] = [];
  const targets: PurgeTarget[] = Object.keys(RETENTION_OF) as (keyof typeof RETENTION_OF)[];
  // Added later: a run begun before replays without it.
  if (patched('purge-command-usage')) targets.push('usage');
  for (const target of targets) {
    purges.push(
      await maintenance(`Purge ${target} past retention`).maintenancePurgeExpired({
        guildId: input.guildId,
        target,
        retentionMs: retentionOf(target, input),
        ...input.purge,
        dryRun: input.dryRun,
      }),
    );
  }
  purges.push(
    await maintenance('Purge backups past retention').maintenancePurgeBackups({
      guildId: input.guildId,
      retentionDays: input.retention.backupDays,
      dryRun: input.dryRun,
    }),
  );
  return purges;
}

async function reportToAdmins(
  input: MaintenanceInput,
  findings: Parameters<typeof needsAdminReport>[0],
): Promise<MaintenanceReport> {
  if (input.dryRun || !needsAdminReport(findings)) return { status: 'not-needed' };
  const { postAdminReport } = proxyActivities<AdminReportActivities>({
    ...adminPost(input.discordTaskQueue),
    summary: 'Tell the admins',
  });
  try {
    const outcome = await postAdminReport({
      guildId: input.guildId,
      adminChannels: input.adminChannels,
      // One report per run: a retry posts the same message once (Discord's nonce).
      key: `${workflowInfo().workflowId}:admin-report`,
      // Past the nonce window, the run's report is looked for in the channel from its start.
      notBefore: workflowInfo().runStartTime.getTime(),
      messages: [{ embeds: [buildMaintenanceEmbed(findings)] }],
    });
    return outcome.status === 'posted' ? { status: 'posted', channelId: outcome.channelId } : outcome;
  } catch (error) {
    // Discord unreachable for an hour: the run's work is done; it says so instead of failing.
    return { status: 'failed', reason: failureReason(error) };
  }
}
