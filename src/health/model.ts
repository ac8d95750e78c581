/**
 * What a health check finds and what the guild's monitor keeps: plain data, safe in
 * workflow code and in payloads (no secrets, no personal data).
 */

/** The checks, in the order a reader sees them. */
export const HEALTH_CHECKS = ['database', 'discord-api', 'guild', 'admin-channel', 'worker'] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

/** What one check answered: `unknown` when it could not run (the guild is not checked when the token fails). */
export type CheckStatus = 'ok' | 'failing' | 'unknown';

export interface CheckResult {
  name: HealthCheckName;
  status: CheckStatus;
  /** One line for a person: the latency, the missing permission, the error. */
  detail: string;
  latencyMs?: number;
}

/** One run of the checks of one guild, as the healthCheck workflow hands it to the monitor. */
export interface HealthReport {
  guildId: string;
  /** ISO time of the run (workflow time, so deterministic). */
  checkedAt: string;
  checks: CheckResult[];
}

/** A check's state as the monitor keeps it: an `unknown` answer leaves it as it was. */
export interface CheckState {
  name: HealthCheckName;
  ok: boolean;
  detail: string;
  latencyMs?: number;
  /** ISO time since when the check has been in this state. */
  since: string;
  /** Whether the admins were last told it fails (an alert posted, no recovery since). */
  alerted: boolean;
}

export interface MonitorState {
  guildId: string;
  /** ISO time of the last report applied; absent before the first. */
  checkedAt?: string;
  checks: CheckState[];
  /** Reports applied by this monitor over its whole life (across continue-as-new). */
  reports: number;
  /**
   * false until the admins were told that monitoring is on (one "all checks ok" message,
   * so a new deployment shows its health at once); absent in states of monitors started
   * before that message existed, which never send it.
   */
  announced?: boolean;
}

/** The admins' view of one change: the checks that started failing, or that recovered. */
export interface HealthNotice {
  /** `started`: the first report of a new monitor, every check ok (a failing one gets an alert instead). */
  kind: 'alert' | 'recovered' | 'started';
  checks: CheckState[];
  /** Deterministic per change, so a retried post is recognised by Discord's nonce. */
  key: string;
}

export function emptyMonitorState(guildId: string): MonitorState {
  return { guildId, checks: [], reports: 0, announced: false };
}
