/**
 * The deletions at the end of one creator's grace period, a chunk of commands at a
 * time, in a few set-wise statements per chunk whatever the creator's size:
 *   1. read a chunk of commands that still carry this warning and are idle enough;
 *   2. archive them (insert on deterministic keys: a retry finds its own entries);
 *   3. delete them with the same conditions (a use a millisecond earlier wins);
 *   4. mark the archive entries of the commands really gone as deleted, drop those of
 *      the commands still there.
 * A command the creator removed meanwhile (the bot-side `remove` writes a withdrawal
 * mark first) is reported gone, never archived as a cleanup deletion.
 * A document that breaks the contract is skipped, reported and unwarned: it never
 * blocks the others.
 */
import type { Filter, ObjectId } from 'mongodb';
import type { DeletionCollections } from './deletion';
import { parseCommandId, toArchiveEntry } from './command-mapping';
import type { ArchivedCommand, CustomCommandDoc } from './contract';
import { asCommandDoc } from './document-guard';
import { isDuplicateKeyError } from './mongo-errors';

export interface WarningKey {
  guildId: string;
  creatorId: string;
  runKey: string;
  warnedAt: number;
}

export interface DeletionChunkInput extends WarningKey {
  /** Commands must be idle since at or before this instant (min of selection cutoff and delete cutoff). */
  idleBefore: Date;
  now: Date;
  limit: number;
}

export interface DeletionCounts {
  deleted: number;
  kept: number;
  gone: number;
  /** Documents that break the contract: skipped, unwarned, reported. */
  failed: { commandId: string; name: string }[];
}

export async function deleteWarnedChunk(
  { commands, archive, withdrawals }: DeletionCollections,
  input: DeletionChunkInput,
): Promise<DeletionCounts & { more: boolean }> {
  const counts: DeletionCounts = { deleted: 0, kept: 0, gone: 0, failed: [] };
  const thisWarning = warningFilter(input);
  const idle = { lastUsedAt: { $lte: input.idleBefore }, updatedAt: { $lte: input.idleBefore } };
  const raw = await commands
    .find({ ...thisWarning, ...idle })
    .sort({ _id: 1 })
    .limit(input.limit)
    .toArray();
  if (raw.length === 0) return { ...counts, more: false };

  const docs: CustomCommandDoc[] = [];
  const broken: ObjectId[] = [];
  for (const doc of raw) {
    const valid = asCommandDoc(doc);
    if (valid) docs.push(valid);
    else {
      broken.push(doc._id);
      // Read leniently: a broken document may not even have an ObjectId.
      counts.failed.push({ commandId: String(doc._id), name: String(doc.name) });
    }
  }
  // Unwarned so the next chunk does not meet them again; the next run sees them as invalid.
  if (broken.length) await commands.updateMany({ _id: { $in: broken } }, { $unset: { cleanup: '' } });
  if (docs.length === 0) return { ...counts, more: raw.length === input.limit };

  const entries = docs.map((doc) => toArchiveEntry(doc, new Date(input.warnedAt), input.runKey));
  await insertIgnoringDuplicates(archive, entries);
  const ids = docs.map((doc) => doc._id);
  await commands.deleteMany({ _id: { $in: ids }, ...thisWarning, ...idle });

  const left = new Set(
    (
      await commands
        .find({ _id: { $in: ids } })
        .project<{ _id: ObjectId }>({ _id: 1 })
        .toArray()
    ).map((doc) => doc._id.toHexString()),
  );
  const keptEntries = entries.filter((e) => left.has(e.commandId)).map((e) => e._id);
  const goneEntries = entries.filter((e) => !left.has(e.commandId)).map((e) => e._id);
  if (keptEntries.length) {
    // Changed between the read and the delete: kept, and this warning no longer holds.
    await archive.deleteMany({ _id: { $in: keptEntries }, deletedAt: { $exists: false } });
    await commands.updateMany(
      { _id: { $in: ids.filter((id) => left.has(id.toHexString())) }, ...thisWarning },
      { $unset: { cleanup: '' } },
    );
  }
  // Gone, and not withdrawn by its creator (bot-side remove marks that first): our deletion.
  const withdrawn = await withdrawnAmong(withdrawals, goneEntries);
  if (withdrawn.size) {
    await archive.deleteMany({ _id: { $in: [...withdrawn] }, deletedAt: { $exists: false } });
  }
  const ours = goneEntries.filter((id) => !withdrawn.has(id));
  if (ours.length) {
    await archive.updateMany(
      { _id: { $in: ours }, deletedAt: { $exists: false } },
      { $set: { deletedAt: input.now } },
    );
  }
  counts.kept += keptEntries.length;
  counts.deleted += ours.length;
  counts.gone += withdrawn.size;
  return { ...counts, more: raw.length === input.limit };
}

/**
 * After the last chunk: entries left in progress by a crashed attempt are settled
 * (deleted if their command is gone, dropped if it is there), and the commands that
 * still carry the warning but were used or edited since are unwarned. Returns how
 * many were kept that way, how many this call settled as deleted, and how many of this
 * warning's commands the archive holds as deleted in all: the count the deletion DM
 * stands on, right even when an earlier attempt did the work and its result was lost.
 */
export async function settleWarning(
  { commands, archive, withdrawals }: DeletionCollections,
  key: WarningKey,
  now: Date,
): Promise<{ kept: number; deleted: number; deletedInAll: number }> {
  const ofThisWarning = {
    guildId: key.guildId,
    creatorId: key.creatorId,
    runKey: key.runKey,
    warnedAt: new Date(key.warnedAt),
  };
  const open = await archive
    .find({ ...ofThisWarning, deletedAt: { $exists: false } })
    .project<{ _id: string; commandId: string }>({ _id: 1, commandId: 1 })
    .toArray();
  let deleted = 0;
  if (open.length) {
    const ids = open.flatMap((entry) => parseCommandId(entry.commandId) ?? []);
    const present = new Set(
      (
        await commands
          .find({ _id: { $in: ids } })
          .project<{ _id: ObjectId }>({ _id: 1 })
          .toArray()
      ).map((doc) => doc._id.toHexString()),
    );
    const missing = open.filter((entry) => !present.has(entry.commandId)).map((entry) => entry._id);
    const withdrawn = await withdrawnAmong(withdrawals, missing);
    const stale = open
      .filter((entry) => !missing.includes(entry._id) || withdrawn.has(entry._id))
      .map((e) => e._id);
    const done = missing.filter((id) => !withdrawn.has(id));
    if (stale.length) await archive.deleteMany({ _id: { $in: stale }, deletedAt: { $exists: false } });
    if (done.length) {
      const { modifiedCount } = await archive.updateMany(
        { _id: { $in: done }, deletedAt: { $exists: false } },
        { $set: { deletedAt: now } },
      );
      deleted = modifiedCount;
    }
  }
  const { modifiedCount } = await commands.updateMany(warningFilter(key), { $unset: { cleanup: '' } });
  const deletedInAll = await archive.countDocuments({ ...ofThisWarning, deletedAt: { $exists: true } });
  return { kept: modifiedCount, deleted, deletedInAll };
}

async function withdrawnAmong(
  withdrawals: DeletionCollections['withdrawals'],
  entryIds: string[],
): Promise<Set<string>> {
  if (entryIds.length === 0) return new Set();
  const marks = await withdrawals
    .find({ _id: { $in: entryIds } })
    .project<{ _id: string }>({ _id: 1 })
    .toArray();
  return new Set(marks.map((mark) => mark._id));
}

function warningFilter(key: WarningKey): Filter<CustomCommandDoc> {
  return {
    guildId: key.guildId,
    creatorId: key.creatorId,
    'cleanup.runKey': key.runKey,
    'cleanup.warnedAt': new Date(key.warnedAt),
  };
}

/** Unordered: entries an earlier attempt inserted are duplicates, the rest go in. */
async function insertIgnoringDuplicates(
  archive: DeletionCollections['archive'],
  entries: ArchivedCommand[],
): Promise<void> {
  try {
    await archive.insertMany(entries, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    const onlyDuplicates = list.length > 0 && list.every((e) => e.code === 11000);
    if (!onlyDuplicates && !isDuplicateKeyError(error)) throw error;
  }
}
