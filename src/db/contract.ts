/**
 * The MongoDB data contract shared with the bot process, and the operations the
 * product performs on it. Implemented by `createCommandStore(db)` (command-store.ts)
 * and `createNotificationLog(db)` (notification-log.ts).
 */
import type { ObjectId } from 'mongodb';
import type { CommandRef, CreatorBatch, WarningRecord } from '../cleanup/model';

export const COLLECTIONS = {
  commands: 'custom_commands',
  archive: 'deleted_custom_commands',
  notifications: 'notifications',
  runs: 'cleanup_runs',
  /** One lease per guild: at most one cleanup run at a time, however started. */
  locks: 'cleanup_locks',
  /** What went wrong outside a run's own view (deletions, deletion DMs), for the next summary. */
  incidents: 'cleanup_incidents',
  /** A creator's removal of a warned command: a cleanup deletion in progress must not archive it. */
  withdrawals: 'cleanup_withdrawals',
  /** Each user's DM channel id with the bot, shared by every worker: one request less per DM. */
  dmChannels: 'dm_channels',
  /** Uses per guild, command and UTC day, counted by the bot-side API: the weekly usage analytics. */
  usage: 'command_usage',
} as const;

/** What a command is, wherever it is kept: the database, the API's answers, the archive. */
export interface CommandFields {
  guildId: string;
  /** Unique per guild, lower case, 2-32 of [a-z0-9_-]. */
  name: string;
  /** At most 2000 characters. */
  content: string;
  creatorId: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set to createdAt on creation. */
  lastUsedAt: Date;
  useCount: number;
}

/** A document of `custom_commands`, as the bot process writes it. */
export interface CustomCommandDoc extends CommandFields {
  _id: ObjectId;
  /** Present while a warning is pending: the cleanup's own field. */
  cleanup?: {
    warnedAt: Date;
    deleteAfter: Date;
    runKey: string;
    graceWorkflowId: string;
    /** The selecting run's idle cutoff: a use or edit since moves lastUsedAt/updatedAt past it. */
    selectedBefore?: Date;
  };
  /**
   * Set by a run that selected the command for its creator's warning DM, before the DM
   * is sent; replaced by `cleanup` once the warning was delivered. A use or an edit
   * removes it, so the command leaves that warning.
   */
  cleanupPending?: { runKey: string; selectedBefore: Date };
}

/** A command as the API returns it (content included). */
export interface CustomCommand extends CommandFields {
  id: string;
  warning?: WarningRecord;
}

/** A document of `deleted_custom_commands`: everything needed to restore or recreate. */
export interface ArchivedCommand extends CommandFields {
  /** Deterministic archive key `<guildId>:<commandId>:<warnedAt ms>`: a retried archive upserts the same document. */
  _id: string;
  commandId: string;
  warnedAt: Date;
  /** Set once the command was really deleted; an entry without it is a deletion in progress. */
  deletedAt?: Date;
  runKey: string;
  restoredAt?: Date;
}

export interface WarnBatchPage {
  batches: CreatorBatch[];
  /** Resume after this creator id; null when the sweep is complete. */
  nextCreatorId: string | null;
  /** Documents matched by the query but breaking the contract (missing or mistyped fields). */
  skippedInvalid: number;
}

export type DeletionOutcome =
  | { status: 'deleted'; archiveId: string }
  /** Used, edited, re-warned or not idle long enough since: the warning is cleared, nothing deleted. */
  | { status: 'kept'; reason: 'used-or-edited' | 'not-idle-long-enough' }
  /** Removed by someone else in the meantime (bot-side `remove`): nothing to do. */
  | { status: 'gone' };

/** Effect of a bot-side use or edit on a pending deletion: the grace workflow to signal, if any. */
export interface ActivityEffect {
  command: CustomCommand;
  /** Set when the command had a pending warning, now cleared: signal `commandUsed` to this workflow. */
  cancelledWarning?: { graceWorkflowId: string; commandId: string; name?: string };
}

export interface GuildStats {
  activeCommands: number;
  creators: number;
  pendingDeletions: number;
}

export interface CommandStore {
  /** Creates the indexes (idempotent): unique (guildId, name); (guildId, lastUsedAt); (guildId, cleanup.warnedAt); (guildId, creatorId). */
  ensureIndexes(): Promise<void>;

  // --- the bot-side API ---------------------------------------------------------
  /** Validates name and content; throws InvalidCommandError or CommandExistsError. */
  create(
    input: { guildId: string; name: string; content: string; creatorId: string },
    now: Date,
  ): Promise<CustomCommand>;
  /** A use: lastUsedAt = now, useCount + 1, pending warning cleared. Null when no such command. */
  recordUse(guildId: string, name: string, now: Date): Promise<ActivityEffect | null>;
  /** An edit: content, updatedAt = now, pending warning cleared. Null when no such command. */
  edit(guildId: string, name: string, content: string, now: Date): Promise<ActivityEffect | null>;
  /** Deletes by hand (not archived: the creator chose it). Returns the pending grace workflow to signal, if any. */
  remove(
    guildId: string,
    name: string,
  ): Promise<{
    removed: boolean;
    cancelledWarning?: { graceWorkflowId: string; commandId: string; name?: string };
  }>;
  list(guildId: string, filter?: { creatorId?: string }): Promise<CustomCommand[]>;

  // --- the cleanup ----------------------------------------------------------------
  /**
   * One page of warning candidates: commands of `guildId` with lastUsedAt and updatedAt
   * at or before `idleCutoff` and no pending warning, grouped by creator (ascending
   * creatorId), creators after `afterCreatorId`. A page holds whole creators only and
   * about `maxCommands` commands (more when one creator alone has more).
   */
  findWarnBatch(
    guildId: string,
    idleCutoff: Date,
    afterCreatorId: string | null,
    maxCommands: number,
  ): Promise<WarnBatchPage>;
  /**
   * Records the warning on each command that is still as selected (same lastUsedAt and
   * updatedAt, no pending warning); returns those recorded. Idempotent: a command already
   * carrying this same warning (same runKey) counts as recorded.
   */
  recordWarning(guildId: string, commands: CommandRef[], warning: WarningRecord): Promise<CommandRef[]>;
  /**
   * The conditional delete at a deadline: deletes the command only if it still carries
   * this warning, its lastUsedAt and updatedAt are unchanged since selection, and both are
   * at or before `idleCutoff` (now - delete threshold). Archives before deleting. Idempotent.
   * When the command was used or edited since, clears the stale warning and keeps it.
   */
  deleteIfStillIdle(
    guildId: string,
    command: CommandRef,
    warnedAt: number,
    idleCutoff: Date,
    now: Date,
  ): Promise<DeletionOutcome>;
  /** The archived commands with these archive ids (for the deletion DM, which lists their content). */
  archived(archiveIds: string[]): Promise<ArchivedCommand[]>;
  /** Number of commands of the guild deleted (archived with deletedAt) after `since`. */
  countDeletedSince(guildId: string, since: Date): Promise<number>;
  /** Restores the newest archived command of that name; throws when the name is taken or nothing is archived. */
  restore(guildId: string, name: string, now: Date): Promise<CustomCommand>;
  /** Removes archive entries deleted before `before`; returns how many. */
  purgeArchive(before: Date): Promise<number>;
  stats(guildId: string): Promise<GuildStats>;
}

/**
 * A record of each DM or channel post, keyed deterministically, so a retry never sends
 * twice. `pending` while its parts go out: each part's attempt time is written before
 * it is sent and its message id after, so a retry skips the parts delivered and checks
 * the channel for a part whose outcome is unknown.
 */
export interface NotificationRecord {
  /** e.g. `<guildId>:<creatorId>:warning:<runKey>`. */
  _id: string;
  status: 'pending' | 'sent' | 'undeliverable';
  messageIds?: string[];
  reason?: string;
  /** What the message content was built from (e.g. the time a deadline counts from): a retry rebuilds the same. */
  params?: Record<string, number>;
  /** Per part index (`p0`, `p1`...): when it was last attempted and, once known, its message id. */
  parts?: Record<string, { attemptedAt?: Date; messageId?: string }>;
  createdAt: Date;
}

export interface NotificationLog {
  ensureIndexes(): Promise<void>;
  get(key: string): Promise<NotificationRecord | null>;
  /** Upsert: recording the same key twice keeps the first record. */
  record(
    key: string,
    outcome: Omit<NotificationRecord, '_id' | 'createdAt'>,
    now: Date,
  ): Promise<NotificationRecord>;
  /** The pending record of a delivery about to start (created if missing, params set while no part was attempted). */
  begin(key: string, params: Record<string, number>, now: Date): Promise<NotificationRecord>;
  /** Starts a pending delivery over with new params (nothing of it went out). */
  restart(key: string, params: Record<string, number>): Promise<NotificationRecord>;
  partAttempted(key: string, part: number, at: Date): Promise<void>;
  partSent(key: string, part: number, messageId: string): Promise<void>;
  /** The final outcome of a pending delivery (with the last part's message id, when one was just sent). */
  settle(
    key: string,
    outcome: { status: 'sent' | 'undeliverable'; messageIds?: string[]; reason?: string },
    lastPart?: { part: number; messageId: string },
  ): Promise<void>;
  /** Removes records older than `before`, in bounded batches; returns how many. */
  purge(before: Date): Promise<number>;
}

/** The last summary time per guild: deletions are reported in the next run's summary. */
export interface RunLog {
  lastSummaryAt(guildId: string): Promise<Date | null>;
  recordSummary(guildId: string, at: Date, runKey: string): Promise<void>;
}
