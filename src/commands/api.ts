/**
 * The bot-side API: what the bot process calls when a member creates, uses, edits,
 * removes or lists custom commands. A use or an edit cancels a pending deletion by
 * signalling the command's grace workflow; when there is none (never warned, or the
 * workflow already finished) that is not an error.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CommandStore, CustomCommand } from '../db/contract';
import { commandUsedSignal } from '../workflows/custom-command-grace';

export interface CustomCommandsApiDeps {
  store: CommandStore;
  temporal: Client;
  now?: () => Date;
  /** Told when a grace workflow could not be signalled (Temporal unreachable); default console.warn. */
  onSignalError?: (error: unknown, graceWorkflowId: string) => void;
}

export function createCustomCommandsApi(deps: CustomCommandsApiDeps) {
  const now = deps.now ?? (() => new Date());

  async function cancelPendingDeletion(cancelled?: {
    graceWorkflowId: string;
    commandId: string;
  }): Promise<void> {
    if (!cancelled) return;
    try {
      await deps.temporal.workflow
        .getHandle(cancelled.graceWorkflowId)
        .signal(commandUsedSignal, { commandId: cancelled.commandId });
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

  return {
    create(input: {
      guildId: string;
      name: string;
      content: string;
      creatorId: string;
    }): Promise<CustomCommand> {
      return deps.store.create(input, now());
    },

    /** Records a use; null when the guild has no such command. */
    async recordUse(guildId: string, name: string): Promise<CustomCommand | null> {
      const effect = await deps.store.recordUse(guildId, name, now());
      await cancelPendingDeletion(effect?.cancelledWarning);
      return effect?.command ?? null;
    },

    /** Changes the content; null when the guild has no such command. */
    async edit(guildId: string, name: string, content: string): Promise<CustomCommand | null> {
      const effect = await deps.store.edit(guildId, name, content, now());
      await cancelPendingDeletion(effect?.cancelledWarning);
      return effect?.command ?? null;
    },

    async remove(guildId: string, name: string): Promise<boolean> {
      const { removed, cancelledWarning } = await deps.store.remove(guildId, name);
      await cancelPendingDeletion(cancelledWarning);
      return removed;
    },

    list(guildId: string, filter?: { creatorId?: string }): Promise<CustomCommand[]> {
      return deps.store.list(guildId, filter);
    },
  };
}

export type CustomCommandsApi = ReturnType<typeof createCustomCommandsApi>;
