/**
 * The weekly usage analytics as one admin embed, the chart shown in it from the attached
 * PNG. Command names are user text: shown through formatCommandName (inline code when
 * well formed, escaped otherwise); every field stays within Discord's limits.
 */
import { time, TimestampStyles, type APIEmbed, type APIEmbedField } from 'discord.js';
import { formatCommandName } from '../discord/embeds/escape';
import { Limits } from '../discord/embeds/limits';
import type { CommandUses, NamedDeadline, UsageAnalytics } from './model';
import { formatChange } from './policy';

export const ANALYTICS_TITLE = 'Weekly custom command usage';
export const CHART_FILENAME = 'usage.png';
/** Purple: neither a warning, a deletion nor the cleanup's blue summary. */
export const ANALYTICS_COLOR = 0x6f42c1;

export function chartTitle(report: UsageAnalytics): string {
  return `Most used commands, ${report.week.from} to ${report.week.to}`;
}

export function buildAnalyticsEmbed(report: UsageAnalytics): APIEmbed {
  const { uses, created, commands, creators } = report;
  const fields: APIEmbedField[] = [
    { name: 'Uses', value: `${uses.week}, ${formatChange(uses.week, uses.previousWeek)}`, inline: true },
    {
      name: 'Commands',
      value: `${commands.total}, ${commands.usedThisWeek} used this week`,
      inline: true,
    },
    {
      name: 'Created',
      value: `${created.week}, ${formatChange(created.week, created.previousWeek)}`,
      inline: true,
    },
    {
      name: 'Creators',
      value: `${creators.total}, ${creators.activeThisWeek} active this week`,
      inline: true,
    },
    { name: 'Most used', value: ranked(report.top) },
    { name: 'Least used', value: ranked(report.least) },
    {
      name: `Never used: ${commands.neverUsed}`,
      value: list(report.neverUsedNames.map(formatCommandName), commands.neverUsed),
    },
    {
      // The date a command's warning falls due; a past one is warned by the next cleanup.
      name: `At risk (warning due within 7 days, or overdue): ${commands.atRisk}`,
      value: list(
        report.atRiskNames.map((c) => withDate(c, 'due')),
        commands.atRisk,
      ),
    },
    {
      name: `Pending deletions: ${commands.pendingDeletions}`,
      value: list(
        report.pendingNames.map((c) => withDate(c, 'deleted from')),
        commands.pendingDeletions,
      ),
    },
  ];
  return {
    title: ANALYTICS_TITLE,
    description: `Week of ${report.week.from} to ${report.week.to} (UTC), against the week before.`,
    color: ANALYTICS_COLOR,
    fields,
    image: { url: `attachment://${CHART_FILENAME}` },
    footer: { text: 'Usage analytics' },
    timestamp: new Date(report.at).toISOString(),
  };
}

function ranked(commands: CommandUses[]): string {
  if (commands.length === 0) return 'None';
  return fit(commands.map((c, i) => `${i + 1}. ${formatCommandName(c.name)}: ${c.uses}`));
}

function withDate(command: NamedDeadline, what: string): string {
  return `${formatCommandName(command.name)} ${what} ${time(new Date(command.at), TimestampStyles.ShortDate)}`;
}

function list(lines: string[], total: number): string {
  if (total === 0) return 'None';
  const more = total - lines.length;
  return fit([...lines, ...(more > 0 ? [`and ${more} more`] : [])]);
}

/** The lines that fit a field value; names are short by contract, so this only guards bad data. */
function fit(lines: string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > Limits.fieldValue - 2) {
      kept.push('…');
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}
