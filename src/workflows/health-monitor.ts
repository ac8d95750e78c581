/**
 * The health of one guild over time: a long-running workflow (id
 * `health-monitor:<guildId>`) that receives each check's report by signal, keeps every
 * check's state and since when, and tells the admins once when a check starts failing
 * and once when it recovers; nothing while the state holds. Its state lives in its
 * history, not in the database, so it alerts while the database is down. It answers the
 * `healthState` query (`starter health`) and continues as new, state and unhandled
 * reports carried over, long before its history grows large.
 */
import {
  condition,
  continueAsNew,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { HealthNotice, MonitorState } from '../health/model';
import { emptyMonitorState } from '../health/model';
import { noticeEmbed } from '../health/notice-embeds';
import { applyReport, dueNotices, markNotified } from '../health/transitions';
import { noticeActivities } from './health-activities';
import { healthReportSignal, healthStateQuery, type HealthDelivery } from './health-messages';

export interface HealthMonitorInput {
  guildId: string;
  /** Carried over by continue-as-new. */
  state?: MonitorState;
  pending?: HealthDelivery[];
  /** Reports per run before continuing as new; tests make it small. */
  reportsPerRun?: number;
}

/** Each report costs about a dozen events at most (signal, tasks, a notice): a run stays near 3,000. */
const REPORTS_PER_RUN = 250;

export async function healthMonitor(input: HealthMonitorInput): Promise<void> {
  let state = input.state ?? emptyMonitorState(input.guildId);
  const inbox: HealthDelivery[] = [...(input.pending ?? [])];
  setHandler(healthReportSignal, (delivery) => {
    inbox.push(delivery);
  });
  setHandler(healthStateQuery, () => state);

  const reportsPerRun = input.reportsPerRun ?? REPORTS_PER_RUN;
  for (let handled = 0; handled < reportsPerRun && !workflowInfo().continueAsNewSuggested; handled++) {
    await condition(() => inbox.length > 0);
    state = await applyAndTellAdmins(state, inbox.shift()!);
  }
  await continueAsNew<typeof healthMonitor>({ ...input, state, pending: inbox });
}

async function applyAndTellAdmins(state: MonitorState, delivery: HealthDelivery): Promise<MonitorState> {
  let next = applyReport(state, delivery.report);
  for (const notice of dueNotices(next)) {
    if (await tellAdmins(notice, delivery)) next = markNotified(next, notice);
  }
  return next;
}

/** True when posted; a notice not posted stays due and the next report tries again. */
async function tellAdmins(notice: HealthNotice, delivery: HealthDelivery): Promise<boolean> {
  const { guildId, checkedAt } = delivery.report;
  try {
    const outcome = await noticeActivities(delivery.discordTaskQueue).postAdminReport({
      guildId,
      adminChannels: delivery.adminChannels,
      key: notice.key,
      // The change's time: a retry past the nonce window finds the notice it posted.
      notBefore: Math.min(...notice.checks.map((check) => Date.parse(check.since))),
      messages: [{ embeds: [noticeEmbed(notice, checkedAt)] }],
    });
    if (outcome.status === 'posted') return true;
    log.warn('Health notice not posted; retried with the next report', { guildId, reason: outcome.reason });
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn('Health notice failed; retried with the next report', {
      guildId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return false;
}
