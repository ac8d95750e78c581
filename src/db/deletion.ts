/**
 * The conditional delete at the end of a grace period. It runs at least once, maybe
 * twice at the same time (a timed-out attempt still running beside its retry), and on
 * FerretDB without transactions, so every step is safe to repeat and the decisive
 * step is a single conditional deleteOne:
 *   1. archive first (upsert on a deterministic key, snapshot written only on insert),
 *   2. delete only if the command still carries this warning and is unchanged since
 *      it was selected (so a use a millisecond earlier keeps it),
 *   3. mark the archive entry deleted.
 * Whatever the interleaving, a deleted command has an archive entry, and an archive
 * entry without `deletedAt` is at most a deletion in progress.
 *
 * The creator's own `remove` can race this, and once the command is missing nothing in
 * `custom_commands` says whose delete removed it, while an attempt that crashed between
 * steps 2 and 3 must still report its deletion. So the creator leaves a mark, *before*
 * deleting: a withdrawal (`cleanup_withdrawals`, keyed by the archive id of the pending
 * warning). Then, with the command missing, a withdrawal means the creator removed it (or
 * was removing it as we did): no cleanup deletion, the snapshot is dropped; no withdrawal
 * means the delete was ours. The mark lives in its own collection, so no reader of the
 * archive can mistake it for an entry, and it stays until the retention purge: an attempt
 * that read the command before the removal may still be about to archive it.
 */
import type { Collection, Db } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { CommandRef } from '../cleanup/model';
import { archiveId, parseCommandId, toArchiveEntry } from './command-mapping';
import type { CommandCollections } from './collections';
import { COLLECTIONS, type CustomCommandDoc, type DeletionOutcome } from './contract';
import { asCommandDoc } from './document-guard';
import { isDuplicateKeyError } from './mongo-errors';

/** The creator's mark that the deletion under one warning is not the cleanup's to report. */
export interface Withdrawal {
  /** The archive id `<guildId>:<commandId>:<warnedAt ms>` of the warning. */
  _id: string;
  guildId: string;
  withdrawnAt: Date;
}

/** Kept here until it joins COLLECTIONS in contract.ts (another owner's file) and the README's data contract. */
export const WITHDRAWALS_COLLECTION = COLLECTIONS.withdrawals;

export function withdrawalsOf(db: Db): Collection<Withdrawal> {
  return db.collection<Withdrawal>(WITHDRAWALS_COLLECTION);
}

export type DeletionCollections = CommandCollections & { withdrawals: Collection<Withdrawal> };

export async function deleteIfStillIdle(
  { commands, archive, withdrawals }: DeletionCollections,
  guildId: string,
  ref: CommandRef,
  warnedAt: number,
  idleCutoff: Date,
  now: Date,
): Promise<DeletionOutcome> {
  const _id = parseCommandId(ref.id);
  if (!_id) return { status: 'gone' };
  const entryId = archiveId(guildId, _id.toHexString(), warnedAt);
  const thisWarning = { _id, guildId, 'cleanup.warnedAt': new Date(warnedAt) };

  const keep = async (reason: 'used-or-edited' | 'not-idle-long-enough'): Promise<DeletionOutcome> => {
    // An earlier attempt may have archived before the command changed: that was no deletion.
    await archive.deleteOne({ _id: entryId, deletedAt: { $exists: false } });
    // Only this warning is stale: a newer one belongs to another grace period.
    await commands.updateOne(thisWarning, { $unset: { cleanup: '' } });
    return { status: 'kept', reason };
  };

  // The command is gone: by our delete (just now, or an attempt that crashed before step 3)
  // unless its creator withdrew it. A withdrawal written after this check is harmless: the
  // creator writes it before deleting, so that removal came too late to delete anything.
  const settle = async (): Promise<DeletionOutcome> => {
    if ((await withdrawals.countDocuments({ _id: entryId }, { limit: 1 })) > 0) {
      await archive.deleteOne({ _id: entryId, deletedAt: { $exists: false } });
    } else {
      await archive.updateOne({ _id: entryId, deletedAt: { $exists: false } }, { $set: { deletedAt: now } });
    }
    // An entry already marked stays a deletion: an earlier attempt reported it so.
    const entry = await archive.findOne({ _id: entryId });
    return entry?.deletedAt ? { status: 'deleted', archiveId: entryId } : { status: 'gone' };
  };

  const raw = await commands.findOne({ _id, guildId });
  if (!raw) return settle();
  const doc = asCommandDoc(raw);
  // A document that no longer passes the guard was rewritten since selection: not idle.
  if (!doc?.cleanup || !unchangedSince(doc, ref, warnedAt)) return keep('used-or-edited');
  if (doc.lastUsedAt > idleCutoff || doc.updatedAt > idleCutoff) return keep('not-idle-long-enough');

  await archiveSnapshot(archive, entryId, doc, doc.cleanup);
  const { deletedCount } = await commands.deleteOne({
    ...thisWarning,
    lastUsedAt: doc.lastUsedAt,
    updatedAt: doc.updatedAt,
  });
  if (deletedCount === 1) return settle();
  // The delete lost a race: decide again from what is there now.
  const stillThere = await commands.countDocuments({ _id, guildId }, { limit: 1 });
  return stillThere > 0 ? keep('used-or-edited') : settle();
}

/**
 * The creator's side, for `remove`: before deleting a command that carries a warning,
 * withdraw that warning's deletion; after deleting it, drop the deletion's snapshot if one
 * was taken (`dropSnapshot`). Doing both keeps any reader of the archive right: the
 * snapshot never lingers, and an attempt that archives again later finds the withdrawal.
 */
export async function withdrawDeletion(
  withdrawals: Collection<Withdrawal>,
  doc: CustomCommandDoc,
  now: Date,
): Promise<void> {
  const entryId = pendingEntryId(doc);
  if (entryId === null) return;
  try {
    await withdrawals.updateOne(
      { _id: entryId },
      { $setOnInsert: { guildId: doc.guildId, withdrawnAt: now } },
      { upsert: true },
    );
  } catch (error) {
    // Two removals at once: the other one wrote the same mark.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** After the creator's delete: the cleanup's snapshot of it, if any, was no deletion. */
export async function dropSnapshot(
  archive: CommandCollections['archive'],
  removed: CustomCommandDoc,
): Promise<void> {
  const entryId = pendingEntryId(removed);
  if (entryId !== null) await archive.deleteOne({ _id: entryId, deletedAt: { $exists: false } });
}

/** The archive id of the command's pending warning; null without one the cleanup could have written. */
function pendingEntryId(doc: CustomCommandDoc): string | null {
  // Read leniently: the document comes from the bot and may break the contract.
  const warnedAt: unknown = doc.cleanup?.warnedAt;
  if (!(warnedAt instanceof Date) || !(doc._id instanceof ObjectId)) return null;
  return archiveId(doc.guildId, doc._id.toHexString(), warnedAt.getTime());
}

function unchangedSince(doc: CustomCommandDoc, ref: CommandRef, warnedAt: number): boolean {
  return (
    doc.cleanup?.warnedAt.getTime() === warnedAt &&
    doc.lastUsedAt.getTime() === ref.lastUsedAt &&
    doc.updatedAt.getTime() === ref.updatedAt
  );
}

/** Upsert keyed by the archive id; a retry finds the first snapshot and leaves it alone. */
async function archiveSnapshot(
  archive: CommandCollections['archive'],
  entryId: string,
  doc: CustomCommandDoc,
  warning: NonNullable<CustomCommandDoc['cleanup']>,
): Promise<void> {
  const { _id: _key, ...snapshot } = toArchiveEntry(doc, warning.warnedAt, warning.runKey);
  try {
    await archive.updateOne({ _id: entryId }, { $setOnInsert: snapshot }, { upsert: true });
  } catch (error) {
    // Two attempts upserting at once: the other one inserted the same snapshot.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
