/**
 * The demo's usage days (for the analytics `npm start` runs at once), on the real
 * FerretDB: recent commands get a week to chart, no day claims more uses than the
 * command has, and seeding twice changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeUsageAnalytics } from '../../../src/activities/analytics-data';
import { seedDemoUsage } from '../../../src/analytics/demo-usage';
import { usageCollection } from '../../../src/db/usage-counter';
import { createUsageStats } from '../../../src/db/usage-stats';
import { seedDemoCommands } from '../../../src/demo/demo-commands';
import { DEMO_GUILD_ID } from '../../../src/emulator';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';
import { DAY_MS } from '../../../src/duration';

const NOW = new Date('2026-06-08T06:00:00Z');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('demo_usage');
  await seedDemoCommands(database.db, NOW);
});
afterAll(async () => {
  await database?.drop();
});

describe('demo usage', () => {
  it('gives the recently used demo commands a week to chart, within their use counts, once', async () => {
    const written = await seedDemoUsage(database.db, DEMO_GUILD_ID, NOW);
    expect(written).toBeGreaterThan(0);
    expect(await seedDemoUsage(database.db, DEMO_GUILD_ID, NOW)).toBe(written);
    expect(await usageCollection(database.db).countDocuments({ guildId: DEMO_GUILD_ID })).toBe(written);

    const week = await computeUsageAnalytics(createUsageStats(database.db), {
      guildId: DEMO_GUILD_ID,
      warnAfterMs: 60 * DAY_MS,
      at: NOW.getTime(),
    });
    expect(week.top.map((c) => c.name)).toEqual(['hello', 'welcome']);
    const total = await usageCollection(database.db)
      .aggregate<{ _id: string; uses: number }>([
        { $match: { guildId: DEMO_GUILD_ID } },
        { $group: { _id: '$name', uses: { $sum: '$uses' } } },
      ])
      .toArray();
    expect(
      Object.fromEntries(total.map((t) => [t._id, t.uses <= { hello: 88, welcome: 41 }[t._id]!])),
    ).toEqual({
      hello: true,
      welcome: true,
    });
  });
});
