/**
 * What in a guild's commands looks wrong to the database maintenance: documents that
 * break the data contract (a buggy bot wrote them; the cleanup skips them), and
 * warnings left past their deadline (their grace period no longer runs).
 */
import type { Db } from 'mongodb';
import { commandCollections } from './collections';
import { asCommandDoc } from './document-guard';
import { countOverdue } from './stale-warnings';
import { DAY_MS } from '../duration';

/** Streams the guild's commands in batches, so memory stays flat however many there are. */
export async function countInvalidCommands(
  db: Db,
  guildId: string,
  onProgress: (checked: number) => void = () => undefined,
): Promise<number> {
  let invalid = 0;
  let checked = 0;
  for await (const raw of commandCollections(db).commands.find({ guildId }).batchSize(1000)) {
    if (!asCommandDoc(raw)) invalid += 1;
    if (++checked % 1000 === 0) onProgress(checked);
  }
  return invalid;
}

/** Warned commands more than a day past their deletion deadline. */
export function countOverdueWarnings(db: Db, guildId: string, now: Date): Promise<number> {
  return countOverdue(commandCollections(db).commands, guildId, new Date(now.getTime() - DAY_MS));
}
