/** Builders for the data layer's tests: fixed clock, snowflake-like ids, documents as the bot writes them. */
import type { Db } from 'mongodb';
import { newCommandDoc } from '../../src/db/command-doc';
import type { CommandRef, WarningRecord } from '../../src/cleanup/model';
import { COLLECTIONS, type CustomCommandDoc } from '../../src/db/contract';
import { DAY_MS } from '../../src/duration';

/** The tests' "now": a fixed instant, so every threshold is exact to the millisecond. */
export const NOW = new Date('2026-06-01T03:00:00.000Z');

export function daysAgo(days: number, from: Date = NOW): Date {
  return new Date(from.getTime() - days * DAY_MS);
}

let sequence = 0;
/** A fresh 18-digit id, so tests in one database never see each other's guilds or users. */
export function snowflake(): string {
  sequence += 1;
  return String(100_000_000_000_000_000n + BigInt(Date.now()) * 1000n + BigInt(sequence));
}

export interface CommandSeed {
  guildId: string;
  creatorId: string;
  name?: string;
  content?: string;
  lastUsedAt: Date;
  updatedAt?: Date;
  useCount?: number;
  cleanup?: CustomCommandDoc['cleanup'];
}

/** Inserts commands straight through the driver, as the bot process would have written them. */
export async function seedCommands(db: Db, seeds: CommandSeed[]): Promise<CustomCommandDoc[]> {
  const docs = seeds.map((seed): CustomCommandDoc => {
    // Created before it was last used (or updated), and long enough ago for every test.
    const createdAt = earliest(daysAgo(400), seed.lastUsedAt, seed.updatedAt);
    return newCommandDoc({
      ...seed,
      name: seed.name ?? `cmd-${(sequence += 1)}`,
      content: seed.content ?? `reply of ${seed.creatorId}`,
      at: createdAt,
      useCount: seed.useCount ?? 3,
    });
  });
  if (docs.length > 0) await commandsOf(db).insertMany(docs);
  return docs;
}

export function commandsOf(db: Db) {
  return db.collection<CustomCommandDoc>(COLLECTIONS.commands);
}

export function refOf(doc: CustomCommandDoc): CommandRef {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    lastUsedAt: doc.lastUsedAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
  };
}

export function warningAt(warnedAt: Date, runKey = `run-${snowflake()}`, graceDays = 30): WarningRecord {
  return {
    warnedAt: warnedAt.getTime(),
    deleteAfter: warnedAt.getTime() + graceDays * DAY_MS,
    runKey,
    graceWorkflowId: `custom-command-grace:${runKey}`,
  };
}

function earliest(...dates: (Date | undefined)[]): Date {
  return new Date(Math.min(...dates.flatMap((date) => (date ? [date.getTime()] : []))));
}
