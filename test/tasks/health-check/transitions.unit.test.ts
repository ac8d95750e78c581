/** The monitor's rules and the CLI's verdict, pure: who is told what, and when a guild is not ok. */
import { describe, expect, it } from 'vitest';
import {
  emptyMonitorState,
  type CheckResult,
  type HealthReport,
  type MonitorState,
} from '../../../src/health/model';
import { allOk, applyReport, dueNotices, markNotified } from '../../../src/health/transitions';
import { guildHealthView } from '../../../src/health/view';
import { noticeEmbed } from '../../../src/health/notice-embeds';

const GUILD = '1196423538278531072';
const OK: CheckResult[] = [
  { name: 'database', status: 'ok', detail: 'ping answered in 3 ms', latencyMs: 3 },
  { name: 'discord-api', status: 'ok', detail: 'token valid' },
  { name: 'guild', status: 'ok', detail: 'the bot is in Demo' },
  { name: 'admin-channel', status: 'ok', detail: 'the bot can post in #admin' },
  { name: 'worker', status: 'ok', detail: 'pollers' },
];

function report(minute: number, changes: Partial<Record<CheckResult['name'], CheckResult['status']>> = {}) {
  const checks = OK.map((check) => ({
    ...check,
    status: changes[check.name] ?? check.status,
    detail: changes[check.name] === 'failing' ? `${check.name} is down` : check.detail,
  }));
  return { guildId: GUILD, checkedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(), checks };
}

/** Applies the reports as the monitor does, every notice delivered; returns the notices' kinds and checks. */
function run(reports: HealthReport[], delivered = () => true) {
  let state: MonitorState = emptyMonitorState(GUILD);
  const told: string[] = [];
  for (const next of reports) {
    state = applyReport(state, next);
    for (const notice of dueNotices(state)) {
      if (!delivered()) continue;
      told.push(`${notice.kind}:${notice.checks.map((check) => check.name).join(',')}`);
      state = markNotified(state, notice);
    }
  }
  return { state, told };
}

describe('health transitions', () => {
  it('a new monitor says once that monitoring is on, then nothing while every check stays ok', () => {
    const { state, told } = run([report(0), report(5), report(10)]);
    expect(told).toEqual(['started:database,discord-api,guild,admin-channel,worker']);
    expect(allOk(state)).toBe(true);
    expect(state.announced).toBe(true);
  });

  it('a monitor carried over from before the "monitoring on" message never sends it', () => {
    const { announced: _, ...before } = emptyMonitorState(GUILD);
    let state: MonitorState = before;
    for (const next of [report(0), report(5)]) state = applyReport(state, next);
    expect(dueNotices(state)).toEqual([]);
  });

  it('a new monitor whose first report fails alerts instead, and never says "monitoring on" after', () => {
    const { told } = run([report(0, { database: 'failing' }), report(5), report(10)]);
    expect(told).toEqual(['alert:database', 'recovered:database']);
  });

  it('alerts once when a check starts failing and once when it recovers, nothing while it holds', () => {
    const { state, told } = run([
      report(0),
      report(5, { database: 'failing' }),
      report(10, { database: 'failing' }),
      report(15, { database: 'failing' }),
      report(20),
      report(25),
    ]);
    expect(told).toEqual([
      'started:database,discord-api,guild,admin-channel,worker',
      'alert:database',
      'recovered:database',
    ]);
    expect(state.checks.find((check) => check.name === 'database')).toMatchObject({
      ok: true,
      since: report(20).checkedAt,
      alerted: false,
    });
  });

  it('keeps the failing state and its start time while the check fails', () => {
    const { state } = run([
      report(0),
      report(5, { database: 'failing' }),
      report(10, { database: 'failing' }),
    ]);
    expect(state.checks.find((check) => check.name === 'database')).toMatchObject({
      ok: false,
      since: report(5).checkedAt,
      detail: 'database is down',
    });
  });

  it('leaves a notice that was not delivered due, and delivers it with the next report', () => {
    let attempts = 0;
    const { told } = run(
      [report(0, { guild: 'failing' }), report(5, { guild: 'failing' }), report(10, { guild: 'failing' })],
      () => ++attempts > 1,
    );
    expect(told).toEqual(['alert:guild']);
  });

  it('never tells of a failure that ended before it could be delivered', () => {
    let attempts = 0;
    const { told } = run([report(0, { worker: 'failing' }), report(5)], () => ++attempts > 1);
    expect(told).toEqual(['started:database,discord-api,guild,admin-channel,worker']);
  });

  it('an unknown answer changes nothing known: the guild stays as it was while the token fails', () => {
    const { state, told } = run([
      report(0, { guild: 'failing' }),
      report(5, { 'discord-api': 'failing', guild: 'unknown', 'admin-channel': 'unknown' }),
    ]);
    expect(told).toEqual(['alert:guild', 'alert:discord-api']);
    expect(state.checks.find((check) => check.name === 'guild')).toMatchObject({
      ok: false,
      since: report(0).checkedAt,
    });
  });

  it('gives the same key to the same change, and another to a later one', () => {
    const first = applyReport(emptyMonitorState(GUILD), report(5, { database: 'failing' }));
    const again = applyReport(first, report(10, { database: 'failing' }));
    expect(dueNotices(again)[0]!.key).toBe(dueNotices(first)[0]!.key);
    const later = applyReport(applyReport(first, report(15)), report(20, { database: 'failing' }));
    expect(dueNotices(later)[0]!.key).not.toBe(dueNotices(first)[0]!.key);
  });

  it('names each failing check in the alert embed, escaping its detail', () => {
    const state = applyReport(emptyMonitorState(GUILD), report(5, { database: 'failing' }));
    const embed = noticeEmbed(dueNotices(state)[0]!, report(5).checkedAt);
    expect(embed.title).toBe('Health check failing');
    expect(embed.fields).toEqual([
      { name: 'Database', value: expect.stringContaining('database is down') as string },
    ]);
    expect(
      noticeEmbed(
        { ...dueNotices(state)[0]!, checks: [{ ...state.checks[0]!, detail: '**x**' }] },
        report(5).checkedAt,
      ).fields![0]!.value,
    ).toContain('\\*\\*x\\*\\*');
  });
});

describe('starter health verdict', () => {
  const now = new Date(Date.UTC(2026, 0, 1, 0, 12));
  const minutes = (count: number) => count * 60_000;

  it('is ok when every check is ok and the last report is recent', () => {
    const state = applyReport(emptyMonitorState(GUILD), report(10));
    expect(guildHealthView(GUILD, state, { now, staleAfterMs: minutes(15) })).toMatchObject({
      ok: true,
      stale: false,
    });
  });

  it('fails when a check fails, when a check was never known, or when there is no monitor', () => {
    const failing = applyReport(emptyMonitorState(GUILD), report(10, { database: 'failing' }));
    expect(guildHealthView(GUILD, failing, { now, staleAfterMs: minutes(15) }).ok).toBe(false);
    const partial = applyReport(emptyMonitorState(GUILD), report(10, { guild: 'unknown' }));
    const view = guildHealthView(GUILD, partial, { now, staleAfterMs: minutes(15) });
    expect(view.ok).toBe(false);
    expect(view.checks.find((check) => check.name === 'guild')).toMatchObject({ ok: false, since: null });
    expect(guildHealthView(GUILD, undefined, { now, staleAfterMs: minutes(15), problem: 'none' }).ok).toBe(
      false,
    );
  });

  it('fails when the last report is older than the stale limit, even if it was all ok', () => {
    const state = applyReport(emptyMonitorState(GUILD), report(0));
    const view = guildHealthView(GUILD, state, { now, staleAfterMs: minutes(10) });
    expect(view).toMatchObject({ ok: false, stale: true });
    expect(view.problem).toMatch(/no check since/);
  });
});
