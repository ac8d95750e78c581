/**
 * The cleanup's Discord work: preflight, the warning and deletion DMs, the admin
 * summary. They run on the Discord task queue, whose worker caps the request rate.
 * Each notification is sent exactly once per (guild, recipient, phase, run): see
 * exactly-once-delivery.ts. Command lists and contents are read here, from the
 * database, so they never travel through workflow history whatever their size.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { msOptionalToNumber } from '@temporalio/common/lib/time';
import type { CleanupPolicy, CleanupResult, DeliveryOutcome } from '../cleanup/model';
import { batchDeadlineOf, notificationKey } from '../cleanup/policy';
import type { ArchivedCommand, CommandStore, GuildStats, NotificationLog } from '../db/contract';
import type { CleanupStore } from '../db/cleanup-store';
import type { DiscordGateway, MessagePayload, PreflightResult } from '../discord/contract';
import { buildDeletionMessages, buildSummaryMessages, buildWarningMessages } from '../discord';
import { DAY_MS, formatDurationInWords } from '../duration';
import { listedNames } from './bounded';
import { deliverParts, nothingWentOut, settledOutcome, type PartSender } from './exactly-once-delivery';
import { attemptScheduledAt, deliveredTimes, warningTimes } from './warning-times';

export interface DiscordActivityDeps {
  discord: DiscordGateway;
  notifications: NotificationLog;
  store: CommandStore;
  cleanup: CleanupStore;
  now?: () => Date;
}

export interface WarningInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  runKey: string;
  policy: CleanupPolicy;
  /** The workflow's clock when it asked: a deadline never counts from earlier than this. */
  notBefore: number;
}

/** Several creators' warnings in one activity: the run's guild, run and policy, and who. */
export interface WarningsInput extends Omit<WarningInput, 'creatorId'> {
  creatorIds: string[];
}

/**
 * One creator's part of a batch: the delivery, or why the batch could not settle it (an
 * error its own activity would have retried: the workflow sends that one alone, with the
 * retry policy, after `afterMs` when Discord said how long to wait).
 */
export type BatchedWarning = WarningDelivery | { retry: { reason: string; afterMs?: number } };

export interface WarningDelivery {
  outcome: DeliveryOutcome;
  /** Commands the DM listed. */
  commands: number;
  /** The first of their names (for the grace workflow's Web UI entry); absent before it was returned. */
  names?: string[];
  /** When the warning went out: the grace period counts from here (epoch ms). */
  warnedAt: number;
  /** The deletion deadline the DM states (epoch ms). */
  deleteAt: number;
}

/** The deletion notice of one creator's grace period: the commands are read from the archive. */
export interface DeletionNoticeInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  runKey: string;
  policy: CleanupPolicy;
}

/** As sent by grace workflows started before deletions were read from the archive by run. */
export interface LegacyDeletionNoticeInput extends DeletionNoticeInput {
  archiveIds: string[];
}

export interface SummaryInput {
  guildId: string;
  guildName: string;
  channelId: string;
  runKey: string;
  result: CleanupResult;
  stats: GuildStats;
  nextRunAt: number | null;
}

export interface LegacyWarningDmInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  runKey: string;
  deleteAt: number;
  commands: { name: string; lastActivity: number }[];
  now: number;
}

export function createDiscordActivities(deps: DiscordActivityDeps) {
  const clock = deps.now ?? (() => new Date());
  // Never before the server scheduled this attempt: the same instant whatever the worker's
  // clock says (and, in tests under time skipping, the server's skipped time).
  const now = () => new Date(Math.max(clock().getTime(), attemptScheduledAt()));
  const delivery = { notifications: deps.notifications, now };

  function dmSender(userId: string): PartSender {
    return {
      send: (message, partKey) => deps.discord.sendDirectMessage(userId, [message], partKey),
      channelId: () => deps.discord.dmChannelId(userId),
      findPostedMessage: (channelId, message, notBefore) =>
        deps.discord.findPostedMessage(channelId, message, notBefore),
    };
  }

  /** The deletion DM: only to a creator still in the guild, with every content. */
  async function sendDeletionNotice(
    input: DeletionNoticeInput,
    commands: () => AsyncIterable<ArchivedCommand>,
  ): Promise<DeliveryOutcome> {
    const key = notificationKey(input.guildId, input.creatorId, 'deletion', input.runKey);
    const settled = settledOutcome(await deps.notifications.get(key));
    if (settled) return settled;
    const record = await deps.notifications.begin(key, {}, now());
    if (!(await deps.discord.isMember(input.guildId, input.creatorId))) {
      await deps.notifications.settle(key, { status: 'undeliverable', reason: 'left-guild' });
      return { status: 'undeliverable', reason: 'left-guild' };
    }
    const deleted = [];
    for await (const c of commands()) {
      deleted.push({
        name: c.name,
        content: c.content,
        useCount: c.useCount,
        createdAt: c.createdAt,
        lastUsedAt: c.lastUsedAt,
      });
    }
    if (deleted.length === 0) return { status: 'sent', messageIds: [] };
    const messages = buildDeletionMessages({
      guildName: input.guildName,
      commands: deleted,
      policySentence: policySentence(input.policy),
    });
    return deliverParts(delivery, record, messages, dmSender(input.creatorId));
  }

  /**
   * One creator's warning DM, listing every command this run marked for them. The
   * deadline is fixed when the first part goes out and kept by every retry, so the
   * date the creator reads is the one the grace period waits for.
   */
  async function sendWarning(input: WarningInput): Promise<WarningDelivery> {
    const key = notificationKey(input.guildId, input.creatorId, 'warning', input.runKey);
    const commands: { name: string; lastActivity: number }[] = [];
    for await (const c of deps.cleanup.markedCommands(input.guildId, input.creatorId, input.runKey))
      commands.push(c);
    const names = listedNames(commands.map((c) => c.name));
    // Never earlier than this attempt: after hours of retries the grace period counts from now.
    const builtAt = Math.max(now().getTime(), input.notBefore);
    const fresh = { builtAt, deleteAt: batchDeadlineOf(commands, builtAt, input.policy) };
    // The record of an earlier attempt, or a new pending one: one statement either way.
    const found =
      commands.length > 0
        ? await deps.notifications.begin(key, fresh, now())
        : await deps.notifications.get(key);
    const settled = settledOutcome(found);
    if (settled) {
      const times = deliveredTimes(settled, warningTimes(found?.params, fresh), input.policy);
      return { outcome: settled, commands: commands.length, names, ...times };
    }
    if (commands.length === 0 || !found)
      return { outcome: { status: 'sent', messageIds: [] }, commands: 0, names, ...warningTimes(fresh) };
    let record = found;

    const sender = dmSender(input.creatorId);
    const build = (times: { warnedAt: number; deleteAt: number }) =>
      buildWarningMessages({
        guildName: input.guildName,
        commands: commands.map((c) => ({
          name: c.name,
          daysUnused: Math.floor((times.warnedAt - c.lastActivity) / DAY_MS),
          deletionDate: new Date(times.deleteAt),
        })),
      });
    // An attempt that never reached Discord does not hold the deadline back: it counts from now.
    const stale = record.params?.builtAt !== fresh.builtAt;
    if (
      stale &&
      (await nothingWentOut(record, () => build(warningTimes(record.params))[0], sender, now().getTime()))
    ) {
      record = await deps.notifications.restart(key, fresh);
    }
    const times = warningTimes(record.params, fresh);
    // No membership check: it would cost a request per creator, and a creator who left
    // every guild of the bot cannot be DMed (Discord says so). One who left this guild
    // but shares another is told; the deletion DM checks membership.
    const outcome = await deliverParts(delivery, record, build(times), sender);
    return { outcome, commands: commands.length, names, ...deliveredTimes(outcome, times, input.policy) };
  }

  return {
    async preflight(input: { guildId: string; adminChannelNames: string[] }): Promise<PreflightResult> {
      return deps.discord.preflight(input.guildId, input.adminChannelNames);
    },

    sendWarning,

    /**
     * The warning DMs of several creators at once, each as `sendWarning` sends it alone:
     * fewer activity tasks and workflow tasks per creator. Runs once (no retry of the batch):
     * a creator whose DM failed in a way a retry could fix comes back as `retry`.
     */
    async sendWarnings({ creatorIds, ...input }: WarningsInput): Promise<BatchedWarning[]> {
      return Promise.all(
        creatorIds.map(async (creatorId): Promise<BatchedWarning> => {
          try {
            return await sendWarning({ ...input, creatorId });
          } catch (error) {
            return { retry: retryOf(error) };
          }
        }),
      );
    },

    /** As called by cleanup runs started before warnings lived in the database (their list in the input). */
    async sendWarningDm(input: LegacyWarningDmInput): Promise<DeliveryOutcome> {
      const key = notificationKey(input.guildId, input.creatorId, 'warning', input.runKey);
      const settled = settledOutcome(await deps.notifications.get(key));
      if (settled) return settled;
      const record = await deps.notifications.begin(key, {}, now());
      const messages = buildWarningMessages({
        guildName: input.guildName,
        commands: input.commands.map((c) => ({
          name: c.name,
          daysUnused: Math.floor((input.now - c.lastActivity) / DAY_MS),
          deletionDate: new Date(input.deleteAt),
        })),
      });
      return deliverParts(delivery, record, messages, dmSender(input.creatorId));
    },

    /** The deletion DM of one creator's grace period (new shape: read by run; old: by archive ids). */
    async sendDeletionDm(input: DeletionNoticeInput | LegacyDeletionNoticeInput): Promise<DeliveryOutcome> {
      if ('archiveIds' in input) {
        const ids = input.archiveIds;
        return sendDeletionNotice(input, async function* () {
          yield* await deps.store.archived(ids);
        });
      }
      return sendDeletionNotice(input, () => deps.cleanup.deletedUnder(input));
    },

    async postSummary(input: SummaryInput): Promise<string[]> {
      const key = notificationKey(input.guildId, input.channelId, 'summary', input.runKey);
      const settled = settledOutcome(await deps.notifications.get(key));
      if (settled) return settled.status === 'sent' ? settled.messageIds : [];
      const record = await deps.notifications.begin(key, {}, now());
      const { result } = input;
      const messages = buildSummaryMessages({
        guildName: input.guildName,
        dryRun: result.dryRun,
        warnedCreators: result.warnedCreators,
        warnedCommands: result.warnedCommands,
        deletedCommands: result.deletedCommands,
        failedDeliveries: result.failures,
        stats: input.stats,
        durationMs: now().getTime() - result.startedAt,
        nextRunAt: input.nextRunAt === null ? null : new Date(input.nextRunAt),
        skippedInvalidDocuments: result.skippedInvalidDocuments,
        ...(result.failuresByReason ? { failuresByReason: result.failuresByReason } : {}),
        ...(result.incidents ? { incidents: result.incidents } : {}),
      });
      const outcome = await deliverParts(
        delivery,
        record,
        messages,
        channelSender(deps.discord, input.channelId),
      );
      return outcome.status === 'sent' ? outcome.messageIds : [];
    },
  };
}

/** What a batch tells the workflow of a creator's failed attempt; a cancellation ends the batch. */
function retryOf(error: unknown): { reason: string; afterMs?: number } {
  if (error instanceof CancelledFailure) throw error;
  const reason = error instanceof Error ? error.message : String(error);
  const afterMs =
    error instanceof ApplicationFailure ? msOptionalToNumber(error.nextRetryDelay ?? undefined) : undefined;
  return afterMs === undefined ? { reason } : { reason, afterMs };
}

function channelSender(discord: DiscordGateway, channelId: string): PartSender {
  return {
    send: async (message: MessagePayload, partKey: string) => ({
      status: 'sent',
      messageIds: await discord.postToChannel(channelId, [message], partKey),
    }),
    channelId: () => Promise.resolve(channelId),
    findPostedMessage: (id, message, notBefore) => discord.findPostedMessage(id, message, notBefore),
  };
}

/** The cleanup policy in one sentence, as the deletion DM states it. */
export function policySentence(policy: CleanupPolicy): string {
  return (
    `Custom commands unused for ${formatDurationInWords(policy.warnAfterMs)} get a warning, and are deleted ` +
    `${formatDurationInWords(policy.gracePeriodMs)} later if still unused ` +
    `(never before ${formatDurationInWords(policy.deleteAfterMs)} without use).`
  );
}
