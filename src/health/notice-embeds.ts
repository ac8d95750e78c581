/**
 * The admin channel's view of a health change: one embed naming each check, what is
 * wrong (or that it is back) and since when. Plain objects, no discord.js, so the
 * monitor workflow builds them itself; details are our own error texts, escaped anyway.
 */
import type { APIEmbed } from 'discord.js';
import type { CheckState, HealthNotice } from './model';

const RED = 0xdc3545;
const GREEN = 0x198754;
const FOOTER = 'Health check';
/** Under Discord's 1024 per field value, with room for the "since" line. */
const DETAIL_LENGTH = 900;

const LABELS: Record<CheckState['name'], string> = {
  database: 'Database',
  'discord-api': 'Discord API and token',
  guild: 'Guild access',
  'admin-channel': 'Admin channel permissions',
  worker: 'Workers',
};

export function noticeEmbed(notice: HealthNotice, now: string): APIEmbed {
  if (notice.kind === 'started') return startedEmbed(notice, now);
  const alert = notice.kind === 'alert';
  return {
    title: alert ? 'Health check failing' : 'Health check recovered',
    description: alert
      ? `${plural(notice.checks.length)} stopped working. One message when it recovers; nothing until then.`
      : `${plural(notice.checks.length)} working again.`,
    color: alert ? RED : GREEN,
    fields: notice.checks.map((check) => ({
      name: LABELS[check.name],
      value: `${alert ? 'Failing' : 'OK'} since ${timestamp(check.since)}\n${escapeDetail(check.detail)}`,
    })),
    footer: { text: FOOTER },
    timestamp: now,
  };
}

/** The first report of a new monitor: every check ok, with its detail (latency, permissions). */
function startedEmbed(notice: HealthNotice, now: string): APIEmbed {
  return {
    title: 'Health monitoring on',
    description: `All ${notice.checks.length} checks OK. One message when a check starts failing, one when it recovers; nothing in between.`,
    color: GREEN,
    fields: notice.checks.map((check) => ({
      name: LABELS[check.name],
      value: `OK: ${escapeDetail(check.detail)}`,
    })),
    footer: { text: FOOTER },
    timestamp: now,
  };
}

export function checkLabel(name: CheckState['name']): string {
  return LABELS[name];
}

function plural(count: number): string {
  return count === 1 ? 'One check' : `${count} checks`;
}

/** Discord shows `<t:seconds:f>` in the reader's time zone. */
function timestamp(iso: string): string {
  return `<t:${Math.floor(Date.parse(iso) / 1000)}:f>`;
}

function escapeDetail(detail: string): string {
  const short = detail.length > DETAIL_LENGTH ? `${detail.slice(0, DETAIL_LENGTH - 1)}…` : detail;
  return short.replace(/[\\`*_~|>#[\]()<@]/g, '\\$&') || '-';
}
