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
 */
import type { CommandRef } from '../cleanup/model';
import { archiveId, parseCommandId } from './command-mapping';
import type { CommandCollections } from './collections';
import type { ArchivedCommand, CustomCommandDoc, DeletionOutcome } from './contract';
import { asCommandDoc } from './document-guard';
import { isDuplicateKeyError } from './mongo-errors';

export async function deleteIfStillIdle(
  { commands, archive }: CommandCollections,
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

  // The command is not there: deleted by an earlier (or concurrent) attempt of ours if
  // it was archived under this warning, else removed by someone else.
  const settleMissing = async (): Promise<DeletionOutcome> => {
    const entry = await archive.findOne({ _id: entryId });
    if (!entry) return { status: 'gone' };
    if (!entry.deletedAt) await markDeleted();
    return { status: 'deleted', archiveId: entryId };
  };
  const markDeleted = () =>
    archive.updateOne({ _id: entryId, deletedAt: { $exists: false } }, { $set: { deletedAt: now } });

  const raw = await commands.findOne({ _id, guildId });
  if (!raw) return settleMissing();
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
  if (deletedCount === 1) {
    await markDeleted();
    return { status: 'deleted', archiveId: entryId };
  }
  // The delete lost a race: decide again from what is there now.
  const stillThere = await commands.countDocuments({ _id, guildId }, { limit: 1 });
  return stillThere > 0 ? keep('used-or-edited') : settleMissing();
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
  const snapshot: Omit<ArchivedCommand, '_id'> = {
    commandId: doc._id.toHexString(),
    guildId: doc.guildId,
    name: doc.name,
    content: doc.content,
    creatorId: doc.creatorId,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    lastUsedAt: doc.lastUsedAt,
    useCount: doc.useCount,
    warnedAt: warning.warnedAt,
    runKey: warning.runKey,
  };
  try {
    await archive.updateOne({ _id: entryId }, { $setOnInsert: snapshot }, { upsert: true });
  } catch (error) {
    // Two attempts upserting at once: the other one inserted the same snapshot.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
