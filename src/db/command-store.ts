/**
 * The CommandStore of the data contract on MongoDB (and FerretDB 1.24): the bot-side
 * API here, the cleanup's operations in their own modules. Queries keep to what both
 * servers support: find/sort/limit, single-document updates with $set, $unset, $inc
 * and $setOnInsert, findOneAndUpdate without projection, deleteOne, countDocuments,
 * and an aggregation that groups by _id only.
 */
import type { Collection, Db, WithId } from 'mongodb';
import { archived, countDeletedSince, purgeArchive, restore } from './archive';
import { commandCollections } from './collections';
import { newCommandDoc } from './command-doc';
import { cancelledWarningOf, toCustomCommand } from './command-mapping';
import { CommandExistsError, normalizeName, validContent, validId, validName } from './command-rules';
import type { ActivityEffect, CommandStore, CustomCommand, CustomCommandDoc, GuildStats } from './contract';
import {
  deleteIfStillIdle,
  dropSnapshot,
  withdrawalsOf,
  withdrawDeletion,
  type DeletionCollections,
} from './deletion';
import { scanDistinct } from './distinct-values';
import { asCommandDoc, InvalidDocumentError } from './document-guard';
import { ensureDeclaredIndexes } from './indexes';
import { isDuplicateKeyError } from './mongo-errors';
import { findWarnBatch } from './warn-batch';
import { recordWarning } from './warnings';

export function createCommandStore(db: Db): CommandStore {
  const collections: DeletionCollections = { ...commandCollections(db), withdrawals: withdrawalsOf(db) };
  const { commands, archive, withdrawals } = collections;

  return {
    // The indexes are declared in indexes.ts, which the database maintenance verifies.
    ensureIndexes: () => ensureDeclaredIndexes(db, ['commands', 'archive', 'withdrawals']),

    async create(input, now) {
      const doc = newCommandDoc({
        guildId: validId('guildId', input.guildId),
        name: validName(input.name),
        content: validContent(input.content),
        creatorId: validId('creatorId', input.creatorId),
        at: now,
      });
      try {
        await commands.insertOne(doc);
      } catch (error) {
        throw isDuplicateKeyError(error) ? new CommandExistsError(doc.name) : error;
      }
      return toCustomCommand(doc);
    },

    async recordUse(guildId, name, now) {
      // 'before', to learn whether the use cancelled a pending warning.
      const before = await commands.findOneAndUpdate(
        { guildId: validId('guildId', guildId), name: normalizeName(name) },
        { $set: { lastUsedAt: now }, $inc: { useCount: 1 }, $unset: { cleanup: '', cleanupPending: '' } },
        { returnDocument: 'before' },
      );
      return before && effectOf(before, { lastUsedAt: now, useCount: before.useCount + 1 });
    },

    async edit(guildId, name, content, now) {
      // An edit restarts the inactivity clock through updatedAt; lastUsedAt stays a use time.
      const newContent = validContent(content);
      const before = await commands.findOneAndUpdate(
        { guildId: validId('guildId', guildId), name: normalizeName(name) },
        { $set: { content: newContent, updatedAt: now }, $unset: { cleanup: '', cleanupPending: '' } },
        { returnDocument: 'before' },
      );
      return before && effectOf(before, { content: newContent, updatedAt: now });
    },

    async remove(guildId, name) {
      const found = await commands.findOne({
        guildId: validId('guildId', guildId),
        name: normalizeName(name),
      });
      if (!found) return { removed: false };
      // The withdrawal goes first, so that a cleanup deletion of this command in progress can
      // never take the removal for its own (see deletion.ts). A warning recorded between this
      // read and the delete needs none: its grace period has only begun.
      await withdrawDeletion(withdrawals, found, new Date());
      const before = await commands.findOneAndDelete({ _id: found._id, guildId });
      if (!before) return { removed: false };
      // The creator removed it: a snapshot the cleanup took meanwhile is no deletion.
      await dropSnapshot(archive, before);
      const cancelledWarning = cancelledWarningOf(before);
      return cancelledWarning ? { removed: true, cancelledWarning } : { removed: true };
    },

    async list(guildId, filter) {
      const found: CustomCommand[] = [];
      const cursor = commands.find({
        guildId: validId('guildId', guildId),
        ...(filter?.creatorId !== undefined ? { creatorId: validId('creatorId', filter.creatorId) } : {}),
      });
      for await (const raw of cursor.sort({ name: 1 })) {
        const doc = asCommandDoc(raw);
        if (doc) found.push(toCustomCommand(doc));
      }
      return found;
    },

    findWarnBatch: (guildId, idleCutoff, afterCreatorId, maxCommands) =>
      findWarnBatch(commands, guildId, idleCutoff, afterCreatorId, maxCommands),
    recordWarning: (guildId, refs, warning) => recordWarning(commands, guildId, refs, warning),
    deleteIfStillIdle: (guildId, command, warnedAt, idleCutoff, now) =>
      deleteIfStillIdle(collections, guildId, command, warnedAt, idleCutoff, now),
    archived: (archiveIds) => archived(archive, archiveIds),
    countDeletedSince: (guildId, since) => countDeletedSince(archive, guildId, since),
    restore: (guildId, name, now) => restore(collections, validId('guildId', guildId), name, now),
    purgeArchive: (before) => purgeArchive({ archive, withdrawals }, before),
    stats: (guildId) => stats(commands, guildId),
  };
}

/** The command as the update left it, and the grace workflow to signal if a warning was cancelled. */
function effectOf(before: WithId<CustomCommandDoc>, changes: Partial<CustomCommandDoc>): ActivityEffect {
  const { cleanup: _cancelled, ...kept } = before;
  const after = asCommandDoc({ ...kept, ...changes });
  if (!after) throw new InvalidDocumentError(before.guildId, before.name);
  const cancelledWarning = cancelledWarningOf(before);
  return cancelledWarning
    ? { command: toCustomCommand(after), cancelledWarning }
    : { command: toCustomCommand(after) };
}

async function stats(commands: Collection<CustomCommandDoc>, guildId: string): Promise<GuildStats> {
  // A command without a creator counts as a command, not as a creator.
  const [{ documents: activeCommands, values: creators }, pendingDeletions] = await Promise.all([
    scanDistinct(commands, { guildId }, 'creatorId'),
    commands.countDocuments({ guildId, cleanup: { $exists: true }, 'cleanup.warnedAt': { $exists: true } }),
  ]);
  return { activeCommands, creators: creators.size, pendingDeletions };
}
