/**
 * Conversions between the stored documents (Dates, ObjectIds) and what crosses
 * process and workflow boundaries (epoch milliseconds, hex strings). Pure.
 */
import { ObjectId } from 'mongodb';
import type { CommandRef, WarningRecord } from '../cleanup/model';
import type { ArchivedCommand, CommandFields, CustomCommand, CustomCommandDoc } from './contract';

export type StoredWarning = NonNullable<CustomCommandDoc['cleanup']>;

/** What a command is, without its id or the cleanup's fields: shared by the API's view and the archive. */
function commandFields(doc: CustomCommandDoc): CommandFields {
  const { guildId, name, content, creatorId, createdAt, updatedAt, lastUsedAt, useCount } = doc;
  return { guildId, name, content, creatorId, createdAt, updatedAt, lastUsedAt, useCount };
}

export function toCustomCommand(doc: CustomCommandDoc): CustomCommand {
  const command: CustomCommand = {
    id: doc._id.toHexString(),
    ...commandFields(doc),
  };
  if (doc.cleanup) command.warning = toWarningRecord(doc.cleanup);
  return command;
}

export function toCommandRef(doc: CustomCommandDoc): CommandRef {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    lastUsedAt: doc.lastUsedAt.getTime(),
    updatedAt: doc.updatedAt.getTime(),
  };
}

export function toWarningRecord(stored: StoredWarning): WarningRecord {
  return {
    warnedAt: stored.warnedAt.getTime(),
    deleteAfter: stored.deleteAfter.getTime(),
    runKey: stored.runKey,
    graceWorkflowId: stored.graceWorkflowId,
  };
}

export function toStoredWarning(warning: WarningRecord): StoredWarning {
  return {
    warnedAt: new Date(warning.warnedAt),
    deleteAfter: new Date(warning.deleteAfter),
    runKey: warning.runKey,
    graceWorkflowId: warning.graceWorkflowId,
  };
}

/** The ObjectId of a CommandRef, or null for an id that cannot name any document. */
export function parseCommandId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? ObjectId.createFromHexString(id) : null;
}

/** The archive entry of a command deleted under a warning (`warnedAt` keys it, see `archiveId`). */
export function toArchiveEntry(doc: CustomCommandDoc, warnedAt: Date, runKey: string): ArchivedCommand {
  return {
    _id: archiveId(doc.guildId, doc._id.toHexString(), warnedAt.getTime()),
    commandId: doc._id.toHexString(),
    ...commandFields(doc),
    warnedAt,
    runKey,
  };
}

/** Deterministic, so a retried archive upserts the same entry: `<guildId>:<commandId>:<warnedAt ms>`. */
export function archiveId(guildId: string, commandId: string, warnedAt: number): string {
  return `${guildId}:${commandId}:${warnedAt}`;
}

/**
 * The grace workflow to signal when a use, edit or removal cancelled a pending
 * warning. Read leniently from the document as it was before the change: even a
 * malformed warning must not leave its grace workflow waiting for nothing.
 */
export function cancelledWarningOf(
  before: { _id: unknown; cleanup?: unknown; name?: unknown } | null,
): { graceWorkflowId: string; commandId: string; name?: string } | undefined {
  if (!before || typeof before.cleanup !== 'object' || before.cleanup === null) return undefined;
  const { graceWorkflowId } = before.cleanup as { graceWorkflowId?: unknown };
  if (typeof graceWorkflowId !== 'string' || !(before._id instanceof ObjectId)) return undefined;
  const name = (before as { name?: unknown }).name;
  // The name lets the grace workflow drop the command from what the Web UI lists.
  return {
    graceWorkflowId,
    commandId: before._id.toHexString(),
    ...(typeof name === 'string' ? { name } : {}),
  };
}
