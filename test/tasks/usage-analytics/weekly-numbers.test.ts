/**
 * The week's numbers on seeded data, read from the real FerretDB by the analytics'
 * activity: most and least used, never used, at risk, pending deletions, creators, and
 * the change against the previous week; other guilds never count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeUsageAnalytics } from '../../../src/activities/analytics-data';
import type { UsageAnalytics } from '../../../src/analytics/model';
import { createUsageCounter } from '../../../src/db/usage-counter';
import { createUsageStats } from '../../../src/db/usage-stats';
import { snowflake } from '../../db/fixtures';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { seedGuild } from './seed';
import { DAY_MS } from '../../../src/duration';

/** A Monday morning: the week is 2026-06-01 to 2026-06-07. */
const AT = Date.parse('2026-06-08T06:00:00Z');
const daysBefore = (days: number) => new Date(AT - days * DAY_MS);
const on = (day: string, time = '12:00') => new Date(`${day}T${time}:00Z`);
const WARN_AFTER = 60 * DAY_MS;
const LONG_AGO = daysBefore(300);

const [alice, bob, carol, dave, erin, frank] = ['1', '2', '3', '4', '5', '6'].map(() => snowflake()) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

let database: TestDatabase;
let guildId: string;
let report: UsageAnalytics;

beforeAll(async () => {
  database = await createTestDatabase('usage_week');
  await createUsageCounter(database.db).ensureIndexes();
  guildId = snowflake();
  const c = (name: string, creatorId: string, lastUsedAt: Date, useCount: number, createdAt = LONG_AGO) => ({
    name,
    creatorId,
    createdAt,
    lastUsedAt,
    useCount,
  });
  await seedGuild(
    database.db,
    guildId,
    [
      c('hello', alice, on('2026-06-07'), 50),
      c('welcome', alice, on('2026-06-03'), 20),
      c('lfg', bob, on('2026-06-05'), 7),
      c('raid', bob, on('2026-05-28'), 9),
      // Idle 57 days: its warning falls due in 3 days.
      c('ancient', carol, daysBefore(57), 2),
      // Idle 100 days and not warned yet: the next cleanup run warns it.
      c('oldie', carol, daysBefore(100), 1),
      // Idle 40 days: its warning is 20 days away.
      c('resting', carol, daysBefore(40), 1),
      {
        ...c('warned', dave, daysBefore(70), 4),
        cleanup: {
          warnedAt: daysBefore(10),
          deleteAfter: new Date(AT + 20 * DAY_MS),
          runKey: 'run-1',
          graceWorkflowId: 'custom-command-grace:run-1',
        },
      },
      c('fresh', erin, on('2026-06-02'), 0, on('2026-06-02')),
      // Created on the run's own day: after the week.
      c('brand-new', erin, on('2026-06-08', '01:00'), 0, on('2026-06-08', '01:00')),
      c('last-week', bob, on('2026-05-27'), 0, on('2026-05-27')),
    ],
    [
      ['hello', '2026-06-01', 5],
      ['hello', '2026-06-07', 7],
      ['hello', '2026-05-31', 3],
      ['welcome', '2026-06-03', 4],
      ['lfg', '2026-06-05', 1],
      ['lfg', '2026-05-30', 2],
      ['raid', '2026-05-28', 5],
      // A command deleted since: its uses happened.
      ['gone', '2026-06-04', 2, frank],
      // Outside both weeks.
      ['hello', '2026-06-08', 9],
      ['hello', '2026-05-24', 9],
    ],
  );
  // Another guild's busy week must not count.
  await seedGuild(
    database.db,
    snowflake(),
    [c('hello', alice, on('2026-06-07'), 99)],
    [['hello', '2026-06-02', 99]],
  );

  report = await computeUsageAnalytics(createUsageStats(database.db), {
    guildId,
    warnAfterMs: WARN_AFTER,
    at: AT,
  });
});
afterAll(async () => {
  await database?.drop();
});

describe('the weekly numbers', () => {
  it('report the seven whole days before the run', () => {
    expect(report.week).toEqual({
      from: '2026-06-01',
      to: '2026-06-07',
      previousFrom: '2026-05-25',
      previousTo: '2026-05-31',
    });
  });

  it('rank the most used commands of the week, most first', () => {
    expect(report.top).toEqual([
      { name: 'hello', uses: 12 },
      { name: 'welcome', uses: 4 },
      { name: 'gone', uses: 2 },
      { name: 'lfg', uses: 1 },
    ]);
    expect(report.commands.usedThisWeek).toBe(4);
  });

  it('list as least used the commands idle all week, longest idle first', () => {
    expect(report.least).toEqual([
      { name: 'oldie', uses: 0 },
      { name: 'warned', uses: 0 },
      { name: 'ancient', uses: 0 },
      { name: 'resting', uses: 0 },
      { name: 'raid', uses: 0 },
    ]);
  });

  it('count uses and creations against the previous week', () => {
    expect(report.uses).toEqual({ week: 19, previousWeek: 10 });
    expect(report.created).toEqual({ week: 1, previousWeek: 1 });
  });

  it('count never used commands, oldest first', () => {
    expect(report.commands.neverUsed).toBe(3);
    expect(report.neverUsedNames).toEqual(['last-week', 'fresh', 'brand-new']);
  });

  it('count at risk the commands not warned whose warning falls due within 7 days', () => {
    expect(report.commands.atRisk).toBe(2);
    expect(report.atRiskNames).toEqual([
      { name: 'oldie', at: AT - 40 * DAY_MS },
      { name: 'ancient', at: AT + 3 * DAY_MS },
    ]);
  });

  it('count pending deletions with their deadlines', () => {
    expect(report.commands.pendingDeletions).toBe(1);
    expect(report.pendingNames).toEqual([{ name: 'warned', at: AT + 20 * DAY_MS }]);
  });

  it('count creators, and those with a command used this week', () => {
    expect(report.commands.total).toBe(11);
    expect(report.creators).toEqual({ total: 5, activeThisWeek: 3 });
  });

  it('fill the least used from the week’s fewest uses when no command idled all week', async () => {
    const small = snowflake();
    await seedGuild(
      database.db,
      small,
      ['a', 'b', 'c'].map((name) => ({
        name,
        creatorId: alice,
        createdAt: LONG_AGO,
        lastUsedAt: on('2026-06-05'),
        useCount: 5,
      })),
      [
        ['a', '2026-06-05', 5],
        ['b', '2026-06-05', 1],
        ['c', '2026-06-05', 3],
      ],
    );
    const week = await computeUsageAnalytics(createUsageStats(database.db), {
      guildId: small,
      warnAfterMs: WARN_AFTER,
      at: AT,
    });
    expect(week.least).toEqual([
      { name: 'b', uses: 1 },
      { name: 'c', uses: 3 },
      { name: 'a', uses: 5 },
    ]);
  });
});
