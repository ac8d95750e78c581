// Shared test helpers: worlds with many members, and a discord.js REST client for an emulator.
import { REST } from 'discord.js';
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
