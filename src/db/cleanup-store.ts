/**
 * The cleanup's own operations on the data contract, set-wise so that their cost does
 * not grow with one creator's command count in statements or in memory: claiming a
 * page of creators, confirming or releasing a creator's warning, deleting at a grace
 * deadline in chunks, reading a run's archive for the deletion DM, reconciling stale
 * warnings. The bot-side API has its own store (command-store.ts).
 */
import type { Db, Filter } from 'mongodb';
import type { ArchivedCommand, CustomCommandDoc } from './contract';
import { commandCollections } from './collections';
import { withdrawalsOf } from './deletion';
import {
  claimWarnPage,
  confirmWarnings,
  markedCommands,
  releaseMarks,
  type ClaimedPage,
  type ClaimWarnPageInput,
  type ConfirmedWarning,
  type ConfirmWarningsInput,
  type MarkedCommand,
} from './warning-marks';
import {
  deleteWarnedChunk,
  settleWarning,
  type DeletionChunkInput,
  type DeletionCounts,
  type WarningKey,
} from './warned-deletion';
import { ensureDeclaredIndexes } from './indexes';
import { clearStaleMarks, clearWarningsOf, countOverdue, graceWorkflowIds } from './stale-warnings';

export type {
  ClaimedPage,
  ConfirmedWarning,
  ConfirmWarningsInput,
  MarkedCommand,
  DeletionChunkInput,
  DeletionCounts,
  WarningKey,
};

export interface CleanupStore {
  ensureIndexes(): Promise<void>;
  claimWarnPage(input: ClaimWarnPageInput): Promise<ClaimedPage>;
  markedCommands(guildId: string, creatorId: string, runKey: string): AsyncIterable<MarkedCommand>;
  confirmWarnings(input: ConfirmWarningsInput): Promise<number>;
  releaseMarks(guildId: string, creatorId: string, runKey: string): Promise<number>;
  deleteWarnedChunk(input: DeletionChunkInput): Promise<DeletionCounts & { more: boolean }>;
  settleWarning(key: WarningKey, now: Date): Promise<{ kept: number; deleted: number; deletedInAll: number }>;
  /** The commands deleted under this warning, by name, streamed (for the deletion DM). */
  deletedUnder(key: Omit<WarningKey, 'warnedAt'>): AsyncIterable<ArchivedCommand>;
  /**
   * The first names (alphabetically) of the creator's commands waiting on a grace workflow
   * (by creator too: an equality FerretDB can use its index for, not a scan of the guild).
   */
  warnedNames(guildId: string, creatorId: string, graceWorkflowId: string, limit: number): Promise<string[]>;
  clearStaleMarks(guildId: string, runKey: string): Promise<number>;
  graceWorkflowIds(guildId: string): Promise<string[]>;
  clearWarningsOf(guildId: string, graceWorkflowId: string): Promise<number>;
  countOverdue(guildId: string, before: Date): Promise<number>;
  /** Deletions of the guild with deletedAt in (since, until]: each counted by one summary. */
  countDeletedBetween(guildId: string, since: Date, until: Date): Promise<number>;
}

export function createCleanupStore(db: Db): CleanupStore {
  const collections = { ...commandCollections(db), withdrawals: withdrawalsOf(db) };
  const { commands, archive } = collections;

  return {
    // The indexes are declared in indexes.ts, which the database maintenance verifies.
    ensureIndexes: () => ensureDeclaredIndexes(db, ['commands', 'archive']),
    claimWarnPage: (input) => claimWarnPage(commands, input),
    markedCommands: (guildId, creatorId, runKey) => markedCommands(commands, guildId, creatorId, runKey),
    confirmWarnings: (input) => confirmWarnings(commands, input),
    releaseMarks: (guildId, creatorId, runKey) => releaseMarks(commands, guildId, creatorId, runKey),
    deleteWarnedChunk: (input) => deleteWarnedChunk(collections, input),
    settleWarning: (key, now) => settleWarning(collections, key, now),
    deletedUnder: (key) =>
      archive
        .find({
          guildId: key.guildId,
          creatorId: key.creatorId,
          runKey: key.runKey,
          deletedAt: { $exists: true },
        })
        .sort({ name: 1 }),
    async warnedNames(guildId, creatorId, graceWorkflowId, limit) {
      const docs = await commands
        .find({ guildId, creatorId, 'cleanup.graceWorkflowId': graceWorkflowId } as Filter<CustomCommandDoc>)
        .sort({ name: 1 })
        .limit(limit)
        .project<{ name: string }>({ _id: 0, name: 1 })
        .toArray();
      return docs.map((doc) => doc.name);
    },
    clearStaleMarks: (guildId, runKey) => clearStaleMarks(commands, guildId, runKey),
    graceWorkflowIds: (guildId) => graceWorkflowIds(commands, guildId),
    clearWarningsOf: (guildId, id) => clearWarningsOf(commands, guildId, id),
    countOverdue: (guildId, before) => countOverdue(commands, guildId, before),
    countDeletedBetween: (guildId, since, until) =>
      archive.countDocuments({ guildId, deletedAt: { $gt: since, $lte: until } }),
  };
}
