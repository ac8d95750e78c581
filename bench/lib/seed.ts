/**
 * The benchmark's data: the emulator's world (the demo guild with every creator a member)
 * and the commands. `creators` creators own one idle command each (due a warning); the
 * other commands are fresh, spread over creators about a hundred each, as in a guild
 * where most commands are in use.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, newCommandDoc, type CustomCommandDoc } from '../../src/db';
import { demoWorldSeed, DEMO_GUILD_ID, type WorldSeed } from '../../src/emulator';
import { DAY_MS } from '../../src/duration';

const BATCH = 10_000;
const FRESH_PER_CREATOR = 100;

export const creatorId = (i: number): string => String(1300000000000000000n + BigInt(i));
export const sampleUserId = (i: number): string => String(1310000000000000000n + BigInt(i));

/** The demo world plus the creators and the users of the seed-pattern sample, all members. */
export function benchWorld(creators: number, sample: number): WorldSeed {
  const seed = demoWorldSeed();
  const ids = [
    ...Array.from({ length: creators }, (_, i) => creatorId(i)),
    ...Array.from({ length: sample }, (_, i) => sampleUserId(i)),
  ];
  seed.users = [...(seed.users ?? []), ...ids.map((id) => ({ id, username: `u${id.slice(-7)}` }))];
  const guild = seed.guilds![0]!;
  guild.members = [...(guild.members ?? []), ...ids.map((user_id) => ({ user_id, roles: [] }))];
  return seed;
}

/** Inserts the commands in batches; returns the seconds it took. */
export async function seedCommands(db: Db, creators: number, commands: number): Promise<number> {
  const started = Date.now();
  const collection = db.collection<CustomCommandDoc>(COLLECTIONS.commands);
  const now = Date.now();
  const freshOwners = Math.max(creators, Math.ceil((commands - creators) / FRESH_PER_CREATOR));
  for (let from = 0; from < commands; from += BATCH) {
    const batch: CustomCommandDoc[] = [];
    for (let i = from; i < Math.min(commands, from + BATCH); i++) {
      const idle = i < creators;
      const at = new Date(now - (idle ? 70 : 2) * DAY_MS);
      batch.push(
        newCommandDoc({
          guildId: DEMO_GUILD_ID,
          name: `cmd-${i}`,
          content: `content of command ${i}`,
          creatorId: idle ? creatorId(i) : creatorId((i - creators) % freshOwners),
          at: new Date(now - 100 * DAY_MS),
          updatedAt: at,
          lastUsedAt: at,
          useCount: 1,
        }),
      );
    }
    await collection.insertMany(batch, { ordered: false });
  }
  return (Date.now() - started) / 1000;
}
