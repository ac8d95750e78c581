/**
 * The usage analytics' Discord activity: draws the chart from the report's top commands
 * and posts the embed with the PNG attached, so the image's bytes never pass through a
 * workflow history (the report in the input is numbers and names only).
 */
import { renderPng } from '../analytics/chart-png';
import { usageChartSvg } from '../analytics/chart-svg';
import { buildAnalyticsEmbed, chartTitle, CHART_FILENAME } from '../analytics/embed';
import type { UsageAnalytics } from '../analytics/model';
import type { DiscordGateway, MessagePayload } from '../discord/contract';
import { postAdminMessages, type AdminReportOutcome } from './admin-report';

export interface PostUsageAnalyticsInput {
  report: UsageAnalytics;
  adminChannels: string[];
  /** Unique per run: Discord's nonce derives from it, so a retried post is not doubled. */
  key: string;
}

/** The admin message: the embed, and the chart it shows as an attachment. */
export function usageAnalyticsMessage(report: UsageAnalytics): MessagePayload {
  const svg = usageChartSvg({ title: chartTitle(report), commands: report.top });
  return {
    embeds: [buildAnalyticsEmbed(report)],
    files: [{ name: CHART_FILENAME, contentType: 'image/png', data: renderPng(svg) }],
  };
}

export function createAnalyticsReportActivities(deps: { discord: DiscordGateway }) {
  return {
    postUsageAnalytics: ({
      report,
      adminChannels,
      key,
    }: PostUsageAnalyticsInput): Promise<AdminReportOutcome> =>
      postAdminMessages(deps.discord, {
        guildId: report.guildId,
        adminChannels,
        key,
        // The run's own time: a retry after Discord's nonce window finds the report it posted.
        notBefore: report.at,
        messages: [usageAnalyticsMessage(report)],
      }),
  };
}

export type AnalyticsReportActivities = ReturnType<typeof createAnalyticsReportActivities>;
