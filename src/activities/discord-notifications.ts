/**
 * The cleanup's Discord work: preflight, the warning and deletion DMs, the admin
 * summary. They run on the Discord task queue, whose worker caps the request rate.
 * Each message is sent at most once per (guild, recipient, phase, run): the
 * notification log remembers what was delivered, and the Discord nonce derived from
 * the same key makes a POST retried after a lost response land only once.
 */
import type { CleanupPolicy, CleanupResult, DeliveryOutcome } from '../cleanup/model';
import { notificationKey } from '../cleanup/policy';
import type { CommandStore, GuildStats, NotificationLog } from '../db/contract';
import { Context } from '@temporalio/activity';
import type { DiscordGateway, MessagePayload, PreflightResult } from '../discord/contract';
import { buildDeletionMessages, buildSummaryMessages, buildWarningMessages } from '../discord';
import { formatDuration } from '../duration';

export interface DiscordActivityDeps {
  discord: DiscordGateway;
  notifications: NotificationLog;
  store: CommandStore;
  now?: () => Date;
}

export interface WarningDmInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  runKey: string;
  /** The deadline shown to the creator; the grace workflow waits for the same one. */
  deleteAt: number;
  commands: { name: string; lastActivity: number }[];
  /** The run's warning time, so days-unused matches what the run decided. */
  now: number;
}

export interface DeletionDmInput {
  guildId: string;
  guildName: string;
  creatorId: string;
  runKey: string;
  archiveIds: string[];
  policy: CleanupPolicy;
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

const DAY = 24 * 60 * 60 * 1000;

export function createDiscordActivities(deps: DiscordActivityDeps) {
  const now = deps.now ?? (() => new Date());

  /** Sends unless the log says this key was already handled; records what happened. */
  async function deliverOnce(key: string, send: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const previous = await deps.notifications.get(key);
    if (previous?.status === 'sent') return { status: 'sent', messageIds: previous.messageIds ?? [] };
    if (previous?.status === 'undeliverable') {
      return { status: 'undeliverable', reason: (previous.reason ?? 'other') as 'other' };
    }
    const outcome = await send();
    if (outcome.status === 'sent') {
      await deps.notifications.record(key, { status: 'sent', messageIds: outcome.messageIds }, now());
    } else if (outcome.status === 'undeliverable') {
      await deps.notifications.record(key, { status: 'undeliverable', reason: outcome.reason }, now());
    }
    return outcome;
  }

  /**
   * Sends the parts of one notification in order, remembering in the activity's heartbeat
   * which parts went out: a retry (after a lost response, a database outage longer than
   * Discord's nonce window, or a later part failing) resumes after them instead of
   * sending them again. Each part has its own nonce.
   */
  async function sendParts(
    key: string,
    messages: MessagePayload[],
    sendOne: (message: MessagePayload, partKey: string) => Promise<DeliveryOutcome>,
  ): Promise<DeliveryOutcome> {
    const context = Context.current();
    const resumed = context.info.heartbeatDetails as { sentIds?: string[] } | undefined;
    const sentIds = [...(resumed?.sentIds ?? [])];
    for (let part = sentIds.length; part < messages.length; part++) {
      const outcome = await sendOne(messages[part]!, `${key}#${part}`);
      if (outcome.status !== 'sent') return outcome;
      sentIds.push(...outcome.messageIds);
      context.heartbeat({ sentIds });
    }
    return { status: 'sent', messageIds: sentIds };
  }

  return {
    async preflight(input: { guildId: string; adminChannelNames: string[] }): Promise<PreflightResult> {
      return deps.discord.preflight(input.guildId, input.adminChannelNames);
    },

    async sendWarningDm(input: WarningDmInput): Promise<DeliveryOutcome> {
      const key = notificationKey(input.guildId, input.creatorId, 'warning', input.runKey);
      return deliverOnce(key, async () => {
        // A creator who left may still share another guild with the bot: do not DM them about this one.
        if (!(await deps.discord.isMember(input.guildId, input.creatorId))) {
          return { status: 'undeliverable', reason: 'left-guild' };
        }
        const messages = buildWarningMessages({
          guildName: input.guildName,
          commands: input.commands.map((c) => ({
            name: c.name,
            daysUnused: Math.floor((input.now - c.lastActivity) / DAY),
            deletionDate: new Date(input.deleteAt),
          })),
        });
        return sendParts(key, messages, (message, partKey) =>
          deps.discord.sendDirectMessage(input.creatorId, [message], partKey),
        );
      });
    },

    async sendDeletionDm(input: DeletionDmInput): Promise<DeliveryOutcome> {
      const key = notificationKey(input.guildId, input.creatorId, 'deletion', input.runKey);
      return deliverOnce(key, async () => {
        // Deleted commands' content goes only to a creator who is still a member.
        if (!(await deps.discord.isMember(input.guildId, input.creatorId))) {
          return { status: 'undeliverable', reason: 'left-guild' };
        }
        // Content is read here, from the archive, so it never travels through workflow history.
        const archived = await deps.store.archived(input.archiveIds);
        const messages = buildDeletionMessages({
          guildName: input.guildName,
          commands: archived.map((c) => ({
            name: c.name,
            content: c.content,
            useCount: c.useCount,
            createdAt: c.createdAt,
            lastUsedAt: c.lastUsedAt,
          })),
          policySentence: policySentence(input.policy),
        });
        return sendParts(key, messages, (message, partKey) =>
          deps.discord.sendDirectMessage(input.creatorId, [message], partKey),
        );
      });
    },

    async postSummary(input: SummaryInput): Promise<string[]> {
      const key = notificationKey(input.guildId, input.channelId, 'summary', input.runKey);
      const outcome = await deliverOnce(key, async () => {
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
        });
        return sendParts(key, messages, async (message, partKey) => ({
          status: 'sent',
          messageIds: await deps.discord.postToChannel(input.channelId, [message], partKey),
        }));
      });
      return outcome.status === 'sent' ? outcome.messageIds : [];
    },
  };
}

/** The cleanup policy in one sentence, as the deletion DM states it. */
export function policySentence(policy: CleanupPolicy): string {
  return (
    `Custom commands unused for ${formatDuration(policy.warnAfterMs)} get a warning, and are deleted ` +
    `${formatDuration(policy.gracePeriodMs)} later if still unused ` +
    `(never before ${formatDuration(policy.deleteAfterMs)} without use).`
  );
}
