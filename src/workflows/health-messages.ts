/** The health monitor's signal and query, shared by the workflow, the activity that signals it and the CLI. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { HealthReport, MonitorState } from '../health/model';

/** A report and where to tell the admins (the latest configuration wins). */
export interface HealthDelivery {
  report: HealthReport;
  adminChannels: string[];
  discordTaskQueue: string;
}

export const healthReportSignal = defineSignal<[HealthDelivery]>('healthReport');

/** The state after the last report was fully handled (its notices posted or left due). */
export const healthStateQuery = defineQuery<MonitorState>('healthState');

/** One monitor per guild, a business key the CLI and the reporting activity derive alike. */
export const healthMonitorWorkflowId = (guildId: string): string => `health-monitor:${guildId}`;
