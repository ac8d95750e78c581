/**
 * What `starter health` shows of a guild, pure: every check with its state and since
 * when, and one verdict an external monitor can trust. A guild is not ok when a check
 * fails or was never known, when it has no monitor, or when the last report is stale
 * (no check ran for three intervals: the worker or the schedule is not running).
 */
import { HEALTH_CHECKS, type HealthCheckName, type MonitorState } from './model';

export interface CheckView {
  name: HealthCheckName;
  ok: boolean;
  detail: string;
  latencyMs?: number;
  /** ISO time since when it is in this state; null when never checked. */
  since: string | null;
}

export interface GuildHealthView {
  guildId: string;
  ok: boolean;
  /** ISO time of the last report the monitor handled; null without one. */
  checkedAt: string | null;
  stale: boolean;
  /** Why the state itself is missing or not to be trusted. */
  problem?: string;
  checks: CheckView[];
}

/** Stale after this many intervals without a report. */
export const STALE_INTERVALS = 3;

export function guildHealthView(
  guildId: string,
  state: MonitorState | undefined,
  options: { now: Date; staleAfterMs: number; problem?: string },
): GuildHealthView {
  const checks = HEALTH_CHECKS.map((name): CheckView => {
    const known = state?.checks.find((check) => check.name === name);
    if (!known) return { name, ok: false, detail: 'not checked yet', since: null };
    return {
      name,
      ok: known.ok,
      detail: known.detail,
      ...(known.latencyMs !== undefined ? { latencyMs: known.latencyMs } : {}),
      since: known.since,
    };
  });
  const checkedAt = state?.checkedAt ?? null;
  const stale = checkedAt !== null && options.now.getTime() - Date.parse(checkedAt) > options.staleAfterMs;
  const problem =
    options.problem ??
    (stale
      ? `no check since ${checkedAt}: is the worker running and the health-check scheduled?`
      : undefined);
  return {
    guildId,
    ok: problem === undefined && checkedAt !== null && checks.every((check) => check.ok),
    checkedAt,
    stale,
    ...(problem !== undefined ? { problem } : {}),
    checks,
  };
}

/** The table a person reads: one block per guild. */
export function formatGuildHealth(view: GuildHealthView): string[] {
  const width = Math.max(...view.checks.map((check) => check.name.length));
  return [
    `guild ${view.guildId}: ${view.ok ? 'OK' : 'FAILING'}${view.checkedAt ? ` (checked ${view.checkedAt})` : ''}`,
    ...(view.problem ? [`  ${view.problem}`] : []),
    ...view.checks.map(
      (check) =>
        `  ${check.name.padEnd(width)}  ${(check.ok ? 'ok' : 'failing').padEnd(7)}  ${
          check.since ? `since ${check.since}  ` : ''
        }${check.detail}`,
    ),
  ];
}
