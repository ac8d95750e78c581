/**
 * The monitor's rules, pure so the workflow and the tests share them: a report updates
 * each check's state (an `unknown` answer changes nothing it knew), and the admins are
 * told of a change once: an alert for checks that fail and were not alerted, a
 * "recovered" for alerted checks that are ok again. A notice not delivered stays due, so
 * the next report tries again; one delivered is never repeated while the state holds.
 */
import {
  HEALTH_CHECKS,
  type CheckResult,
  type CheckState,
  type HealthNotice,
  type HealthReport,
  type MonitorState,
} from './model';

export function applyReport(state: MonitorState, report: HealthReport): MonitorState {
  const checks = new Map(state.checks.map((check) => [check.name, check]));
  for (const result of report.checks) {
    const next = nextCheckState(checks.get(result.name), result, report.checkedAt);
    if (next) checks.set(result.name, next);
  }
  return {
    ...state,
    checkedAt: report.checkedAt,
    checks: HEALTH_CHECKS.flatMap((name) => checks.get(name) ?? []),
    reports: state.reports + 1,
  };
}

function nextCheckState(
  previous: CheckState | undefined,
  result: CheckResult,
  at: string,
): CheckState | undefined {
  // Not checked this time (what it depends on failed): what was known still stands.
  if (result.status === 'unknown') return previous;
  const ok = result.status === 'ok';
  return {
    name: result.name,
    ok,
    detail: result.detail,
    ...(result.latencyMs !== undefined ? { latencyMs: result.latencyMs } : {}),
    since: previous && previous.ok === ok ? previous.since : at,
    alerted: previous?.alerted ?? false,
  };
}

/** What the admins have not been told yet: at most one alert and one recovery per report. */
export function dueNotices(state: MonitorState): HealthNotice[] {
  const failing = state.checks.filter((check) => !check.ok && !check.alerted);
  const recovered = state.checks.filter((check) => check.ok && check.alerted);
  // A new monitor says once that it watches and all is well; a failure is told by its alert.
  if (state.announced === false && allOk(state)) return [notice(state.guildId, 'started', state.checks)];
  return [
    ...(failing.length ? [notice(state.guildId, 'alert', failing)] : []),
    ...(recovered.length ? [notice(state.guildId, 'recovered', recovered)] : []),
  ];
}

function notice(guildId: string, kind: HealthNotice['kind'], checks: CheckState[]): HealthNotice {
  // The change itself names the key: the same checks changing at the same time.
  const change = checks.map((check) => `${check.name}@${check.since}`).join(',');
  return { kind, checks, key: `health-check:${guildId}:${kind}:${change}` };
}

/**
 * Records that the admins were told: an alert marks its checks alerted, a recovery clears
 * them; any notice means the monitor has shown itself (no "started" after an alert).
 */
export function markNotified(state: MonitorState, delivered: HealthNotice): MonitorState {
  const names = new Set(delivered.checks.map((check) => check.name));
  return {
    ...state,
    ...(state.announced === false ? { announced: true } : {}),
    checks: state.checks.map((check) =>
      names.has(check.name) ? { ...check, alerted: delivered.kind === 'alert' } : check,
    ),
  };
}

/** Whether every check is known and ok. */
export function allOk(state: MonitorState): boolean {
  return HEALTH_CHECKS.every((name) => state.checks.find((check) => check.name === name)?.ok === true);
}
