/** The idempotency log of notifications and the per-guild run log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COLLECTIONS,
  createNotificationLog,
  createRunLog,
  type NotificationLog,
  type NotificationRecord,
  type RunLog,
} from '../../src/db';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';
import { daysAgo, NOW, snowflake } from './fixtures';
import { DAY_MS } from '../../src/duration';

describe('notification log', () => {
  let database: TestDatabase;
  let log: NotificationLog;
  beforeAll(async () => {
    database = await createTestDatabase('db_notifications');
    log = createNotificationLog(database.db);
    await log.ensureIndexes();
    await log.ensureIndexes();
  });
  afterAll(async () => {
    await database?.drop();
  });

  const records = () => database.db.collection<NotificationRecord>(COLLECTIONS.notifications);

  it('keeps the first record of a key: a retry reads what was sent, it never overwrites it', async () => {
    const key = `${snowflake()}:${snowflake()}:warning:run-1`;
    expect(await log.get(key)).toBeNull();

    const first = await log.record(key, { status: 'sent', messageIds: ['m1', 'm2'] }, NOW);
    const second = await log.record(key, { status: 'undeliverable', reason: 'dms-closed' }, daysAgo(-1));

    const expected = { _id: key, status: 'sent', messageIds: ['m1', 'm2'], createdAt: NOW };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(await log.get(key)).toEqual(expected);
    // Absent fields stay absent: no `reason: null` stored.
    expect(await records().find({ _id: key }).toArray()).toEqual([expected]);
  });

  it('records one outcome when several attempts write the same key at once', async () => {
    const key = `${snowflake()}:deletion:run-2`;
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((id) => log.record(key, { status: 'sent', messageIds: [id] }, NOW)),
    );
    const stored = await records().find({ _id: key }).toArray();
    expect(stored).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome.messageIds?.[0] === stored[0]?.messageIds?.[0])).toBe(true);
  });

  it('purges records older than the limit only', async () => {
    const old = `${snowflake()}:old`;
    const recent = `${snowflake()}:recent`;
    await log.record(old, { status: 'undeliverable', reason: 'unknown-user' }, daysAgo(100));
    await log.record(recent, { status: 'sent', messageIds: ['x'] }, daysAgo(1));

    expect(await log.purge(daysAgo(90))).toBe(1);
    expect(await log.get(old)).toBeNull();
    expect(await log.get(recent)).not.toBeNull();
  });
});

describe('run log', () => {
  let database: TestDatabase;
  let runs: RunLog;
  beforeAll(async () => {
    database = await createTestDatabase('db_runs');
    runs = createRunLog(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('remembers the last summary per guild, only ever moving forward', async () => {
    const guildId = snowflake();
    expect(await runs.lastSummaryAt(guildId)).toBeNull();

    await runs.recordSummary(guildId, NOW, 'run-b');
    await runs.recordSummary(guildId, NOW, 'run-b');
    // A late retry of an older run does not move the mark back.
    await runs.recordSummary(guildId, daysAgo(1), 'run-a');
    expect(await runs.lastSummaryAt(guildId)).toEqual(NOW);

    const next = new Date(NOW.getTime() + DAY_MS);
    await runs.recordSummary(guildId, next, 'run-c');
    expect(await runs.lastSummaryAt(guildId)).toEqual(next);
    expect(
      await database.db
        .collection(COLLECTIONS.runs)
        .find({ _id: guildId as never })
        .toArray(),
    ).toEqual([{ _id: guildId, lastSummaryAt: next, runKey: 'run-c' }]);
    expect(await runs.lastSummaryAt(snowflake())).toBeNull();
  });
});
