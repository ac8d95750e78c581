/**
 * The bot-side API counts each use per command and UTC day in `command_usage`, on the
 * real FerretDB: the weekly analytics read these days. The use itself behaves as before.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomCommandsApi } from '../../../src/commands/api';
import { createCommandStore } from '../../../src/db';
import { createUsageCounter, usageCollection, usageDayId } from '../../../src/db/usage-counter';
import { snowflake } from '../../db/fixtures';
import { createTestDatabase, type TestDatabase } from '../../helpers/mongo';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('usage_count');
  await createCommandStore(database.db).ensureIndexes();
  await createUsageCounter(database.db).ensureIndexes();
});
afterAll(async () => {
  await database?.drop();
});

// No command here was ever warned, so no grace workflow is signalled: Temporal is never called.
const noTemporal = new Proxy({} as Client, {
  get: () => {
    throw new Error('Temporal must not be called');
  },
});

function apiAt(clock: { now: Date }) {
  return createCustomCommandsApi({
    store: createCommandStore(database.db),
    temporal: noTemporal,
    usage: createUsageCounter(database.db),
    now: () => clock.now,
  });
}

describe('uses per day', () => {
  it('counts two uses on one day and one on the next, in one document per command and day', async () => {
    const guildId = snowflake();
    const creatorId = snowflake();
    const clock = { now: new Date('2026-06-03T09:00:00Z') };
    const api = apiAt(clock);
    const command = await api.create({ guildId, name: 'greet', content: 'Hello!', creatorId });

    await api.recordUse(guildId, 'greet');
    clock.now = new Date('2026-06-03T23:59:59.999Z');
    await api.recordUse(guildId, 'GREET');
    clock.now = new Date('2026-06-04T00:00:00Z');
    const used = await api.recordUse(guildId, 'greet');

    expect(used).toMatchObject({ useCount: 3, lastUsedAt: clock.now });
    const days = await usageCollection(database.db).find({ guildId }).sort({ day: 1 }).toArray();
    expect(days).toEqual([
      {
        _id: usageDayId(guildId, command.id, '2026-06-03'),
        guildId,
        commandId: command.id,
        name: 'greet',
        creatorId,
        day: '2026-06-03',
        uses: 2,
      },
      {
        _id: usageDayId(guildId, command.id, '2026-06-04'),
        guildId,
        commandId: command.id,
        name: 'greet',
        creatorId,
        day: '2026-06-04',
        uses: 1,
      },
    ]);
  });

  it('counts nothing for a command the guild does not have, and nothing on creation', async () => {
    const guildId = snowflake();
    const api = apiAt({ now: new Date('2026-06-03T09:00:00Z') });
    await api.create({ guildId, name: 'unused', content: 'x', creatorId: snowflake() });
    expect(await api.recordUse(guildId, 'missing')).toBeNull();
    expect(await usageCollection(database.db).countDocuments({ guildId })).toBe(0);
  });

  it('keeps a use that could not be counted, and says so (a failing counter stands in for the database)', async () => {
    const guildId = snowflake();
    const told: string[] = [];
    const api = createCustomCommandsApi({
      store: createCommandStore(database.db),
      temporal: noTemporal,
      usage: {
        ensureIndexes: () => Promise.resolve(),
        countUse: () => Promise.reject(new Error('database unreachable')),
      },
      onUsageError: (error) => told.push(String(error)),
    });
    await api.create({ guildId, name: 'kept', content: 'x', creatorId: snowflake() });
    await expect(api.recordUse(guildId, 'kept')).resolves.toMatchObject({ name: 'kept', useCount: 1 });
    expect(told).toEqual(['Error: database unreachable']);
  });
});
