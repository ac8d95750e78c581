// Shared test helpers: worlds with many members, a discord.js REST client for an emulator, the
// DiscordAPIError of a failing request, a small real image.
import { DiscordAPIError, REST } from 'discord.js';
import { demoWorldSeed, snowflakeAt, type DiscordEmulator, type WorldSeed } from '../../src/emulator';

/** The demo world plus `count` extra guild members (distinct users with open DMs). */
export function worldWithMembers(count: number): { seed: WorldSeed; userIds: string[] } {
  const seed = demoWorldSeed();
  const base = Date.UTC(2024, 1, 1);
  const userIds = Array.from({ length: count }, (_, i) => snowflakeAt(base + i, i));
  seed.users = [...(seed.users ?? []), ...userIds.map((id, i) => ({ id, username: `member${i}` }))];
  const guild = seed.guilds![0]!;
  guild.members = [...(guild.members ?? []), ...userIds.map((user_id) => ({ user_id }))];
  return { seed, userIds };
}

export function restFor(
  emulator: DiscordEmulator,
  options: Partial<ConstructorParameters<typeof REST>[0]> = {},
): REST {
  return new REST({ api: emulator.apiUrl, ...options }).setToken(emulator.token);
}

/** The DiscordAPIError a request fails with (fails the test if it succeeds or fails otherwise). */
export async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordAPIError)) throw error;
  return error;
}

/** A valid 1×1 PNG (so a browser can decode what the emulator serves). */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
