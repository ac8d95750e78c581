/**
 * Usage days for the demo guild's recently used commands, so the usage analytics that
 * `npm start` runs at once has a week to chart: each command's uses spread over the days
 * from its creation (at most two weeks back) to its last use, never more than its use
 * count. Written with `$setOnInsert`, so a second start changes nothing.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS, type CustomCommandDoc } from '../db/contract';
import { usageCollection, usageDayId, type UsageDayDoc } from '../db/usage-counter';
import { utcDay } from './days';
import { DAY_MS } from '../duration';

const DAYS_BACK = 14;

/** Writes the usage days; returns how many day documents the commands have. */
export async function seedDemoUsage(db: Db, guildId: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - DAYS_BACK * DAY_MS);
  const commands = await db
    .collection<CustomCommandDoc>(COLLECTIONS.commands)
    .find({ guildId, lastUsedAt: { $gte: since } })
    .toArray();
  const days: UsageDayDoc[] = commands.flatMap((command) => {
    const commandId = command._id.toHexString();
    return spread(command, since).map(({ day, uses }) => ({
      _id: usageDayId(guildId, commandId, day),
      guildId,
      commandId,
      name: command.name,
      creatorId: command.creatorId,
      day,
      uses,
    }));
  });
  // A few dozen documents: one upsert each is quick on FerretDB too.
  for (const { _id, ...fields } of days) {
    await usageCollection(db).updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
  }
  return days.length;
}

/** A varied daily pattern, newest day first, with a use on the last-use day; at most the use count in all. */
function spread(command: CustomCommandDoc, since: Date): { day: string; uses: number }[] {
  const first = Math.max(command.createdAt.getTime(), since.getTime());
  const days: string[] = [];
  for (let at = command.lastUsedAt.getTime(); at >= first; at -= DAY_MS) days.push(utcDay(at));
  const perDay = Math.max(1, Math.floor(command.useCount / Math.max(days.length, 1)));
  let left = command.useCount;
  return days
    .map((day, i) => {
      const uses = Math.min(left, Math.max(1, perDay + ((i * 7) % 5) - 2));
      left -= uses;
      return { day, uses };
    })
    .filter((d) => d.uses > 0);
}
