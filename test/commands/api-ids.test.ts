/**
 * The bot-side API and its MongoDB store refuse ids that are not snowflakes and names
 * that are not strings before any query, on the real FerretDB: a query operator passed as
 * an id (`{ $ne: null }`) would otherwise match, change or delete other guilds' commands.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomCommandsApi, InvalidIdError } from '../../src/commands/api';
import { createCommandStore, InvalidCommandError, type CommandStore } from '../../src/db';
import { commandsOf, NOW, seedCommands, snowflake } from '../db/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/mongo';

// What a caller could pass through untyped JSON or `as any`: each must be refused.
const OPERATOR = { $ne: null } as unknown as string;
const BAD_IDS: [string, string][] = [
  ['a query operator', OPERATOR],
  ['a number', 1196423538278531072 as unknown as string],
  ['an array', ['1196423538278531072'] as unknown as string],
  ['a non-snowflake string', 'guild-1'],
];

let database: TestDatabase;
let store: CommandStore;
beforeAll(async () => {
  database = await createTestDatabase('api_ids');
  store = createCommandStore(database.db);
  await store.ensureIndexes();
});
afterAll(async () => {
  await database?.drop();
});

// The refusals come before any signal: a Temporal client that is never called.
const noTemporal = new Proxy({} as Client, {
  get: () => {
    throw new Error('Temporal must not be called');
  },
});
const api = () => createCustomCommandsApi({ store, temporal: noTemporal, now: () => NOW });

/** Another guild's command that an injected filter would reach. */
async function victim() {
  const guildId = snowflake();
  const creatorId = snowflake();
  await seedCommands(database.db, [{ guildId, creatorId, name: 'victim', lastUsedAt: NOW, useCount: 4 }]);
  return { guildId, creatorId };
}

async function expectUntouched(guildId: string) {
  expect(await commandsOf(database.db).findOne({ guildId })).toMatchObject({
    name: 'victim',
    useCount: 4,
    lastUsedAt: NOW,
  });
}

describe.each([
  ['the API', () => api()],
  ['the store', () => storeAsApi()],
])('%s', (_which, target) => {
  it.each(BAD_IDS)('refuses %s as a guild id for every call, touching nothing', async (_what, bad) => {
    const { guildId } = await victim();
    const t = target();

    await expect(t.recordUse(bad, 'victim')).rejects.toThrow(InvalidIdError);
    await expect(t.edit(bad, 'victim', 'hijacked')).rejects.toThrow(InvalidIdError);
    await expect(t.remove(bad, 'victim')).rejects.toThrow(InvalidIdError);
    await expect(t.list(bad)).rejects.toThrow(InvalidIdError);
    await expect(
      t.create({ guildId: bad, name: 'new-one', content: 'x', creatorId: snowflake() }),
    ).rejects.toThrow(InvalidIdError);

    await expectUntouched(guildId);
    expect(await commandsOf(database.db).countDocuments({ name: 'new-one' })).toBe(0);
  });

  it.each(BAD_IDS)('refuses %s as a creator id, in create and in the list filter', async (_what, bad) => {
    const { guildId } = await victim();
    const t = target();

    await expect(t.list(guildId, { creatorId: bad })).rejects.toThrow(InvalidIdError);
    await expect(t.create({ guildId, name: 'mine', content: 'x', creatorId: bad })).rejects.toThrow(
      InvalidIdError,
    );
    expect(await commandsOf(database.db).countDocuments({ guildId })).toBe(1);
  });

  it('refuses a name that is not a string, so it cannot act as an operator', async () => {
    const { guildId } = await victim();
    const t = target();

    await expect(t.recordUse(guildId, OPERATOR)).rejects.toThrow(InvalidCommandError);
    await expect(t.edit(guildId, OPERATOR, 'hijacked')).rejects.toThrow(InvalidCommandError);
    await expect(t.remove(guildId, OPERATOR)).rejects.toThrow(InvalidCommandError);
    await expectUntouched(guildId);
  });

  it('still serves valid ids', async () => {
    const { guildId, creatorId } = await victim();
    const t = target();

    expect((await t.list(guildId, { creatorId })).map((c) => c.name)).toEqual(['victim']);
    expect((await t.recordUse(guildId, 'victim'))?.useCount).toBe(5);
  });
});

/** The store behind the API's shape, to check it refuses on its own (another caller may skip the API). */
function storeAsApi() {
  return {
    create: (input: { guildId: string; name: string; content: string; creatorId: string }) =>
      store.create(input, NOW),
    recordUse: async (guildId: string, name: string) => (await store.recordUse(guildId, name, NOW))?.command,
    edit: async (guildId: string, name: string, content: string) =>
      (await store.edit(guildId, name, content, NOW))?.command,
    remove: (guildId: string, name: string) => store.remove(guildId, name),
    list: (guildId: string, filter?: { creatorId?: string }) => store.list(guildId, filter),
  };
}
