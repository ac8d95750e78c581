/**
 * The archive of deleted commands: read for the deletion DM (which gives creators
 * their content back), counted for the admin summary, restored by an admin, purged
 * after the retention period.
 */
import type { CommandCollections } from './collections';
import { parseCommandId, toCustomCommand } from './command-mapping';
import { CommandExistsError, normalizeName, NothingToRestoreError } from './command-rules';
import type { ArchivedCommand, CustomCommand, CustomCommandDoc } from './contract';
import { DELETE_BATCH_SIZE, deleteInBatches } from './batched-delete';
import type { DeletionCollections } from './deletion';
import { isDuplicateKeyError } from './mongo-errors';

/** The entries with these ids, in the order asked for; unknown ids are left out. */
export async function archived(
  archive: CommandCollections['archive'],
  archiveIds: string[],
): Promise<ArchivedCommand[]> {
  if (archiveIds.length === 0) return [];
  const byId = new Map<string, ArchivedCommand>();
  for await (const entry of archive.find({ _id: { $in: archiveIds } })) byId.set(entry._id, entry);
  return archiveIds.flatMap((id) => byId.get(id) ?? []);
}

export function countDeletedSince(
  archive: CommandCollections['archive'],
  guildId: string,
  since: Date,
): Promise<number> {
  return archive.countDocuments({ guildId, deletedAt: { $gt: since } });
}

/** How many entries one purge statement removes at most. */
export const PURGE_BATCH_SIZE = DELETE_BATCH_SIZE;

/**
 * Removes the entries deleted before `before`, and the withdrawal marks as old (see
 * deletion.ts); returns how many archive entries went. Only entries whose deletion
 * completed: one still in progress may yet turn out kept. In batches of ids, so that
 * purging a huge archive never holds one giant statement (FerretDB has no TTL index to
 * spread it, and a long deleteMany there blocks the collection for everyone else).
 */
export async function purgeArchive(
  { archive, withdrawals }: Pick<DeletionCollections, 'archive' | 'withdrawals'>,
  before: Date,
  batchSize = PURGE_BATCH_SIZE,
): Promise<number> {
  const purged = await deleteInBatches(archive, { deletedAt: { $lt: before } }, { batchSize });
  await deleteInBatches(withdrawals, { withdrawnAt: { $lt: before } }, { batchSize });
  return purged.deleted;
}

/**
 * Puts the newest deleted, not yet restored version of a command back under its
 * original id. Reusing the id makes a repeated restore recognisable: if the insert
 * collides with our own earlier insert, only the `restoredAt` mark is left to do.
 * The command comes back as just used, so the next sweep does not warn it at once.
 */
export async function restore(
  { commands, archive }: CommandCollections,
  guildId: string,
  name: string,
  now: Date,
): Promise<CustomCommand> {
  const wanted = normalizeName(name);
  const entry = await archive
    .find({ guildId, name: wanted, deletedAt: { $exists: true }, restoredAt: { $exists: false } })
    .sort({ deletedAt: -1 })
    .limit(1)
    .next();
  if (!entry) throw new NothingToRestoreError(wanted);

  const _id = parseCommandId(entry.commandId);
  if (!_id) throw new Error(`Archive entry ${entry._id} has a malformed command id`);
  let restored: CustomCommandDoc = {
    _id,
    guildId,
    name: entry.name,
    content: entry.content,
    creatorId: entry.creatorId,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    lastUsedAt: now,
    useCount: entry.useCount,
  };
  try {
    await commands.insertOne(restored);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const earlier = await commands.findOne({ _id, guildId, name: entry.name });
    if (!earlier) throw new CommandExistsError(entry.name);
    restored = earlier;
  }
  await archive.updateOne({ _id: entry._id, restoredAt: { $exists: false } }, { $set: { restoredAt: now } });
  return toCustomCommand(restored);
}
