/**
 * FROZEN: the grace period as it ran while its input listed every command (workflows
 * started before that change replay and finish with this code; see
 * ../custom-command-grace.ts). Change nothing here that alters the commands it issues.
 *
 * The grace period of the commands of one creator warned in one cleanup run: a
 * durable timer to the deletion deadline that survives worker and server restarts,
 * cancelled per command by a use or an edit (the `commandUsed` signal sent by the
 * bot-side API). At the deadline the remaining commands are deleted only if they
 * are still idle (conditional delete, then archive), and the creator gets one DM
 * listing them with their content so they can be recreated.
 */
import { ActivityFailure, condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CleanupPolicy, CommandRef, DeliveryOutcome } from '../../cleanup/model';
import { commandUsedSignal, graceStatusQuery, type CommandFate, type GracePhase } from '../grace-messages';
import type { CleanupDataActivities, DiscordActivities } from '../../activities';
import { deletionActivityOptions, discordActivityOptions } from '../activity-options';

export interface GraceInputV1 {
  guildId: string;
  guildName: string;
  creatorId: string;
  /** The cleanup run that warned: keys the deletion DM. */
  runKey: string;
  warnedAt: number;
  /** Earliest deletion time (see policy.batchDeadline). */
  deleteAt: number;
  commands: CommandRef[];
  policy: CleanupPolicy;
  /** Task queue of the Discord activities. */
  discordTaskQueue: string;
}

export interface GraceResultV1 {
  deleted: string[];
  kept: string[];
  notice?: DeliveryOutcome;
}

export async function customCommandGraceV1(input: GraceInputV1): Promise<GraceResultV1> {
  const { deleteIdleCommands } = proxyActivities<CleanupDataActivities>(deletionActivityOptions);
  const { sendDeletionDm } = proxyActivities<DiscordActivities>(
    discordActivityOptions(input.discordTaskQueue),
  );

  const fates = new Map<string, CommandFate>(input.commands.map((c) => [c.id, 'pending']));
  let phase: GracePhase = 'waiting';

  setHandler(commandUsedSignal, ({ commandId }) => {
    // Late signals (after the deletion) change nothing: the conditional delete already decided.
    if (phase === 'waiting' && fates.has(commandId)) fates.set(commandId, 'cancelled');
  });
  setHandler(graceStatusQuery, () => ({
    phase,
    deleteAt: new Date(input.deleteAt).toISOString(),
    commands: input.commands.map((c) => ({ id: c.id, name: c.name, fate: fates.get(c.id)! })),
  }));

  const allCancelled = () => [...fates.values()].every((fate) => fate === 'cancelled');
  await condition(allCancelled, Math.max(1, input.deleteAt - Date.now()));
  const remaining = input.commands.filter((c) => fates.get(c.id) === 'pending');
  if (remaining.length === 0) {
    phase = 'done';
    return { deleted: [], kept: input.commands.map((c) => c.name) };
  }

  phase = 'deleting';
  const outcome = await deleteIdleCommands.executeWithOptions(
    {
      ...deletionActivityOptions,
      summary: `Delete ${remaining.length} idle command(s) of ${input.creatorId}`,
    },
    [
      {
        guildId: input.guildId,
        commands: remaining,
        warnedAt: input.warnedAt,
        policy: input.policy,
        at: Date.now(),
      },
    ],
  );
  for (const c of outcome.deleted) fates.set(c.commandId, 'deleted');
  for (const c of outcome.kept) fates.set(c.commandId, 'kept');
  for (const c of outcome.gone) fates.set(c.commandId, 'gone');

  let notice: DeliveryOutcome | undefined;
  if (outcome.deleted.length > 0) {
    phase = 'notifying';
    notice = await notifyDeletion(() =>
      sendDeletionDm.executeWithOptions(
        {
          ...discordActivityOptions(input.discordTaskQueue),
          summary: `Deletion DM to ${input.creatorId}: ${outcome.deleted.length} command(s)`,
        },
        [
          {
            guildId: input.guildId,
            guildName: input.guildName,
            creatorId: input.creatorId,
            runKey: input.runKey,
            archiveIds: outcome.deleted.map((c) => c.archiveId),
            policy: input.policy,
          },
        ],
      ),
    );
  }
  phase = 'done';
  return {
    deleted: outcome.deleted.map((c) => c.name),
    kept: input.commands.filter((c) => fates.get(c.id) !== 'deleted').map((c) => c.name),
    notice,
  };
}

/** The deletion stands even when its notice cannot be delivered: recorded, never fatal. */
async function notifyDeletion(send: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('Deletion DM failed beyond retries', { error: error.cause?.message ?? error.message });
    return { status: 'failed', detail: error.cause?.message };
  }
}
