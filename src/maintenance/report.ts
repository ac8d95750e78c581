/**
 * How a maintenance run reads for a person: the short admin embed (only when something
 * was repaired or looks wrong) and the text of `starter run --wait`. Pure, and safe in
 * the workflow sandbox: no I/O, nothing but types from discord.js.
 */
import type { APIEmbed } from 'discord.js';
import { EmbedColor } from '../discord/embeds/colors';
import { Limits } from '../discord/embeds/limits';
import type { MaintenanceResult } from './model';

export const MAINTENANCE_TITLE = 'Database maintenance';

/** Listed lines per field at most; the rest is counted. */
const MAX_LINES = 10;

type Findings = Pick<MaintenanceResult, 'indexes' | 'purges' | 'inspection'>;

/** What looks wrong: the reasons for an amber embed. */
export function problemsOf({ indexes, purges, inspection }: Findings): string[] {
  const { invalidCommands, overdueWarnings } = inspection;
  return [
    ...indexes.problems,
    ...purges
      .filter((p) => p.capped)
      .map((p) => `${p.target}: purge stopped at its cap after ${p.removed}; the next run continues`),
    ...(invalidCommands
      ? [`${invalidCommands} command(s) break the data contract (skipped by the cleanup)`]
      : []),
    ...(overdueWarnings
      ? [`${overdueWarnings} warned command(s) past their deadline with no grace period`]
      : []),
  ];
}

/** Tell the admins only when an index was recreated or something looks wrong. */
export function needsAdminReport(findings: Findings): boolean {
  return findings.indexes.created.length > 0 || problemsOf(findings).length > 0;
}

export function buildMaintenanceEmbed(result: Findings): APIEmbed {
  const created = result.indexes.created.map((i) => `\`${i.collection}.${i.name}\``);
  const problems = problemsOf(result).map((p) => p.replaceAll('`', "'"));
  const purged = result.purges.filter((p) => p.removed > 0).map((p) => `${p.target}: ${p.removed}`);
  const fields = [
    ...(created.length ? [{ name: 'Indexes recreated', value: lines(created) }] : []),
    ...(problems.length ? [{ name: 'Looks wrong', value: lines(problems) }] : []),
    ...(purged.length ? [{ name: 'Purged past retention', value: lines(purged) }] : []),
  ];
  return {
    title: MAINTENANCE_TITLE,
    description: problems.length ? 'Something needs a look.' : 'Missing indexes were recreated.',
    color: problems.length ? EmbedColor.warning : EmbedColor.summary,
    fields,
    footer: { text: `${MAINTENANCE_TITLE} · ${result.indexes.verified} indexes verified` },
  };
}

/** At most MAX_LINES lines, within a field value's limit. */
function lines(items: string[]): string {
  const shown = items.slice(0, MAX_LINES).map((item) => item.slice(0, 200));
  const rest = items.length - shown.length;
  return [...shown, ...(rest > 0 ? [`… and ${rest} more`] : [])].join('\n').slice(0, Limits.fieldValue);
}

export function describeMaintenance(workflowId: string, r: MaintenanceResult): string {
  const { indexes, inspection } = r;
  const indexLine = r.dryRun
    ? `${indexes.verified} verified, missing: ${names(indexes.missing)}`
    : `${indexes.verified} verified, recreated: ${names(indexes.created)}`;
  const purgeLine = r.purges
    .map(
      (p) =>
        `${p.target} ${p.skipped ? `skipped (${p.skipped})` : `${p.removed}${p.capped ? ' (capped)' : ''}`}`,
    )
    .join(', ');
  const report = r.adminReport;
  return [
    `${workflowId}${r.dryRun ? ' (dry run: nothing changed or sent)' : ''}`,
    `  indexes: ${indexLine}`,
    `  purged${r.dryRun ? ' (would be)' : ''}: ${purgeLine}`,
    ...problemsOf(r).map((p) => `  looks wrong: ${p}`),
    `  collections (guild documents / all documents, data size):`,
    ...inspection.collections.map(
      (c) =>
        `    ${c.collection}: ${c.guildDocuments ?? '-'} / ${c.documents ?? '?'}` +
        (c.dataBytes === undefined ? '' : `, ${formatBytes(c.dataBytes)}`),
    ),
    ...(inspection.sizesUnavailable ? [`    sizes unavailable: ${inspection.sizesUnavailable}`] : []),
    `  admin report: ${report.status}${'reason' in report ? ` (${report.reason})` : ''}`,
  ].join('\n');
}

function names(refs: { collection: string; name: string }[]): string {
  return refs.length ? refs.map((i) => `${i.collection}.${i.name}`).join(', ') : 'none';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
