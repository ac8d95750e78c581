/**
 * What reconciling a guild's warnings needs: marks left by runs that ended before
 * their DMs were confirmed, and the grace workflows that confirmed warnings point to
 * (each run asks Temporal which of them still run, and unwarns the commands of the
 * others so that they are warned again, never stuck).
 */
import type { Collection } from 'mongodb';
import type { CustomCommandDoc } from './contract';
import { scanDistinct } from './distinct-values';

/** Marks of other runs: only one run of a guild runs at a time, so those runs are over. */
export async function clearStaleMarks(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  runKey: string,
): Promise<number> {
  const { modifiedCount } = await commands.updateMany(
    {
      guildId,
      cleanupPending: { $exists: true },
      'cleanupPending.runKey': { $ne: runKey },
    },
    { $unset: { cleanupPending: '' } },
  );
  return modifiedCount;
}

/** Every grace workflow a warned command of the guild waits on. */
export async function graceWorkflowIds(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
): Promise<string[]> {
  // The top-level `cleanup` condition is implied by the nested one; it is there for the
  // embedded FerretDB, which sends top-level conditions only to PostgreSQL.
  const { values } = await scanDistinct(
    commands,
    {
      guildId,
      cleanup: { $exists: true },
      'cleanup.warnedAt': { $exists: true },
    },
    'cleanup.graceWorkflowId',
  );
  return [...values];
}

/** Unwarns the commands waiting on a grace workflow that no longer runs. */
export async function clearWarningsOf(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  graceWorkflowId: string,
): Promise<number> {
  const { modifiedCount } = await commands.updateMany(
    { guildId, 'cleanup.graceWorkflowId': graceWorkflowId },
    { $unset: { cleanup: '' } },
  );
  return modifiedCount;
}

/** Warned commands whose deletion deadline is before `before` (a deadline plus a day: overdue). */
export function countOverdue(
  commands: Collection<CustomCommandDoc>,
  guildId: string,
  before: Date,
): Promise<number> {
  return commands.countDocuments({
    guildId,
    cleanup: { $exists: true }, // implied; lets the embedded FerretDB skip the unwarned in PostgreSQL
    'cleanup.deleteAfter': { $lt: before },
  });
}
