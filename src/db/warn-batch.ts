/**
 * One page of the warning sweep: idle, unwarned commands of a guild grouped by
 * creator, so that each creator gets one DM listing all of their commands. Pages are
 * cut between creators (keyset on creatorId), never inside one, and are read with
 * a cursor: the sweep's memory is one page whatever the size of the guild.
 */
import type { Collection, Filter } from 'mongodb';
import type { CreatorBatch } from '../cleanup/model';
import { toCommandRef } from './command-mapping';
import type { CustomCommandDoc, WarnBatchPage } from './contract';
import { asCommandDoc } from './document-guard';

/**
 * The cursor of the first page. Every valid creator id sorts after it (ids are
 * non-empty strings); documents whose creatorId is missing, not a string or empty
 * fall outside the keyset and are counted separately, once per sweep.
 */
const BEFORE_EVERY_CREATOR = '';

export async function findWarnBatch(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  idleCutoff: Date,
  afterCreatorId: string | null,
  maxCommands: number,
): Promise<WarnBatchPage> {
  if (!Number.isInteger(maxCommands) || maxCommands < 1) {
    throw new RangeError(`maxCommands must be a positive integer, got ${maxCommands}`);
  }
  // Inactivity runs from the later of the last use and the last edit, hence both.
  const idleUnwarned: Filter<CustomCommandDoc> = {
    guildId,
    lastUsedAt: { $lte: idleCutoff },
    updatedAt: { $lte: idleCutoff },
    'cleanup.warnedAt': { $exists: false },
  };

  let skippedWithoutCreator = 0;
  if (afterCreatorId === null) {
    skippedWithoutCreator = await commands.countDocuments({
      ...idleUnwarned,
      creatorId: { $not: { $gt: BEFORE_EVERY_CREATOR } },
    });
  }

  // One more than a page: if it arrives, the page's last creator may continue beyond it.
  const window = await readAll(
    commands
      .find({ ...idleUnwarned, creatorId: { $gt: afterCreatorId ?? BEFORE_EVERY_CREATOR } })
      .sort({ creatorId: 1, _id: 1 })
      .limit(maxCommands + 1),
  );
  const page = await wholeCreators(window, maxCommands, (creatorId) =>
    readAll(commands.find({ ...idleUnwarned, creatorId }).sort({ _id: 1 })),
  );
  const grouped = groupByCreator(page.docs);
  return {
    batches: grouped.batches,
    nextCreatorId: page.nextCreatorId,
    skippedInvalid: skippedWithoutCreator + grouped.skippedInvalid,
  };
}

/**
 * Cuts a window of at most maxCommands + 1 documents (sorted by creator) down to
 * whole creators. A full window drops its last creator, who is read again from the
 * start by the next page; a creator who alone fills the window is read completely.
 * Documents are not validated yet: only their creatorId is relied on, and the
 * query guarantees it is a non-empty string.
 */
async function wholeCreators(
  window: CustomCommandDoc[],
  maxCommands: number,
  allOfCreator: (creatorId: string) => Promise<CustomCommandDoc[]>,
): Promise<{ docs: CustomCommandDoc[]; nextCreatorId: string | null }> {
  const last = window.at(-1);
  if (!last || window.length <= maxCommands) return { docs: window, nextCreatorId: null };
  const complete = window.filter((doc) => doc.creatorId !== last.creatorId);
  const lastComplete = complete.at(-1);
  if (lastComplete) return { docs: complete, nextCreatorId: lastComplete.creatorId };
  return { docs: await allOfCreator(last.creatorId), nextCreatorId: last.creatorId };
}

/** Consecutive documents of one creator form one batch; invalid documents are only counted. */
function groupByCreator(docs: unknown[]): { batches: CreatorBatch[]; skippedInvalid: number } {
  const batches: CreatorBatch[] = [];
  let skippedInvalid = 0;
  for (const raw of docs) {
    const doc = asCommandDoc(raw);
    if (!doc) {
      skippedInvalid += 1;
      continue;
    }
    const current = batches.at(-1);
    if (current?.creatorId === doc.creatorId) current.commands.push(toCommandRef(doc));
    else batches.push({ creatorId: doc.creatorId, commands: [toCommandRef(doc)] });
  }
  return { batches, skippedInvalid };
}

async function readAll<T>(cursor: AsyncIterable<T>): Promise<T[]> {
  const docs: T[] = [];
  for await (const doc of cursor) docs.push(doc);
  return docs;
}
