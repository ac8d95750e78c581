/**
 * The bot-side API: what the bot process calls when a member creates, uses, edits,
 * removes or lists custom commands. A use or an edit cancels a pending deletion by
 * signalling the command's grace workflow; when there is none (never warned, or the
 * workflow already finished) that is not an error. A use is also counted per UTC day
 * for the weekly usage analytics, when the API is given a usage counter.
 *
 * Guild and user ids must be snowflakes (InvalidIdError otherwise), names and contents
 * strings (InvalidCommandError): checked here, before any store, since the store is an
 * interface, and checked again by the MongoDB store, which turns them into queries.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { normalizeName, validContent, validId, validName } from '../db/command-rules';
import type { CommandStore, CustomCommand } from '../db/contract';
import type { UsageCounter } from '../db/usage-counter';
import { commandUsedSignal } from '../workflows/custom-command-grace';

export { InvalidIdError } from '../db/command-rules';

export interface CustomCommandsApiDeps {
  store: CommandStore;
  temporal: Client;
  now?: () => Date;
  /** Counts each use per day for the usage analytics (`createUsageCounter(db)`); absent: not counted. */
  usage?: UsageCounter;
  /** Told when a grace workflow could not be signalled (Temporal unreachable); default console.warn. */
  onSignalError?: (error: unknown, graceWorkflowId: string) => void;
  /** Told when a use could not be counted for the analytics; default console.warn. */
  onUsageError?: (error: unknown, commandId: string) => void;
}

export function createCustomCommandsApi(deps: CustomCommandsApiDeps) {
  const now = deps.now ?? (() => new Date());

  async function cancelPendingDeletion(cancelled?: {
    graceWorkflowId: string;
    commandId: string;
    name?: string;
  }): Promise<void> {
    if (!cancelled) return;
    try {
      await deps.temporal.workflow.getHandle(cancelled.graceWorkflowId).signal(commandUsedSignal, {
        commandId: cancelled.commandId,
        ...(cancelled.name !== undefined ? { name: cancelled.name } : {}),
      });
    } catch (error) {
      // Finished or never started: nothing to cancel. Any other failure (Temporal down) must not
      // fail a use that is already saved (a retried use would count twice): the conditional
      // delete at the deadline sees the changed lastUsedAt/updatedAt and keeps the command anyway.
      if (error instanceof WorkflowNotFoundError) return;
      (deps.onSignalError ?? ((e, id) => console.warn(`could not signal ${id}:`, String(e))))(
        error,
        cancelled.graceWorkflowId,
      );
    }
  }

  async function countUse(command: CustomCommand, at: Date): Promise<void> {
    if (!deps.usage) return;
    try {
      await deps.usage.countUse(command, at);
    } catch (error) {
      // The use itself is saved: failing it now would make the bot retry it and count it twice.
      // The day's count misses one use, which only the analytics see.
      (deps.onUsageError ?? ((e, id) => console.warn(`could not count a use of ${id}:`, String(e))))(
        error,
        command.id,
      );
    }
  }

  return {
    async create(input: {
      guildId: string;
      name: string;
      content: string;
      creatorId: string;
    }): Promise<CustomCommand> {
      validId('guildId', input.guildId);
      validId('creatorId', input.creatorId);
      validName(input.name);
      validContent(input.content);
      return deps.store.create(input, now());
    },

    /** Records a use; null when the guild has no such command. */
    async recordUse(guildId: string, name: string): Promise<CustomCommand | null> {
      checkLookup(guildId, name);
      const at = now();
      const effect = await deps.store.recordUse(guildId, name, at);
      if (!effect) return null;
      await cancelPendingDeletion(effect.cancelledWarning);
      await countUse(effect.command, at);
      return effect.command;
    },

    /** Changes the content; null when the guild has no such command. */
    async edit(guildId: string, name: string, content: string): Promise<CustomCommand | null> {
      checkLookup(guildId, name);
      validContent(content);
      const effect = await deps.store.edit(guildId, name, content, now());
      await cancelPendingDeletion(effect?.cancelledWarning);
      return effect?.command ?? null;
    },

    async remove(guildId: string, name: string): Promise<boolean> {
      checkLookup(guildId, name);
      const { removed, cancelledWarning } = await deps.store.remove(guildId, name);
      await cancelPendingDeletion(cancelledWarning);
      return removed;
    },

    async list(guildId: string, filter?: { creatorId?: string }): Promise<CustomCommand[]> {
      validId('guildId', guildId);
      if (filter?.creatorId !== undefined) validId('creatorId', filter.creatorId);
      return deps.store.list(guildId, filter);
    },
  };
}

/** Refuses what could never name a command of a guild (the store normalises the name itself). */
function checkLookup(guildId: string, name: string): void {
  validId('guildId', guildId);
  normalizeName(name); // throws InvalidCommandError for a name that is not a string
}

export type CustomCommandsApi = ReturnType<typeof createCustomCommandsApi>;
