/**
 * A task's report to the guild's admins: the first configured admin channel where the
 * bot may post embeds, found by the preflight (token, guild, channel permissions), then
 * the messages with Discord's nonce derived from the key, so a retried activity posts
 * nothing twice within Discord's nonce window, and, given `notBefore`, nothing twice after
 * it either (the channel is searched first). Shared by every task; a task that
 * attaches files (a chart) calls `postAdminMessages` from its own activity, so the
 * file's bytes never pass through a workflow history.
 */
import type { DiscordGateway, MessagePayload } from '../discord/contract';

export interface AdminReportInput {
  guildId: string;
  /** Admin channel names in order of preference. */
  adminChannels: string[];
  /** Unique per report (task, guild, run or state change): the nonces derive from it. */
  key: string;
  /** Embeds and text only: these pass through the workflow's history. */
  messages: Omit<MessagePayload, 'files'>[];
  /**
   * The earliest time (ms since the epoch) this report can have been posted: a retry
   * later than Discord's nonce window (a few minutes, e.g. after an outage) first looks
   * for it in the channel from then on (needs Read Message History), so it is posted once.
   */
  notBefore?: number;
}

export type AdminReportOutcome =
  { status: 'posted'; channelId: string; messageIds: string[] } | { status: 'skipped'; reason: string };

export async function postAdminMessages(
  discord: DiscordGateway,
  input: Omit<AdminReportInput, 'messages'> & { messages: MessagePayload[] },
): Promise<AdminReportOutcome> {
  const preflight = await discord.preflight(input.guildId, input.adminChannels);
  if (!preflight.adminChannel) {
    return { status: 'skipped', reason: preflight.degradedReason ?? 'no admin channel the bot can post in' };
  }
  const channelId = preflight.adminChannel.id;
  const messageIds: string[] = [];
  for (const [index, message] of input.messages.entries()) {
    const posted =
      input.notBefore === undefined
        ? null
        : await discord.findPostedMessage(channelId, message, input.notBefore);
    // One message per call, so each keeps the nonce a call with all of them gives it.
    messageIds.push(
      ...(posted !== null
        ? [posted]
        : await discord.postToChannel(channelId, [message], messageKey(input.key, index))),
    );
  }
  return { status: 'posted', channelId, messageIds };
}

export function createAdminReportActivities(deps: { discord: DiscordGateway }) {
  return {
    postAdminReport: (input: AdminReportInput): Promise<AdminReportOutcome> =>
      postAdminMessages(deps.discord, input),
  };
}

export type AdminReportActivities = ReturnType<typeof createAdminReportActivities>;

/** The first message keeps the report's key (its nonce unchanged); the others get their own. */
function messageKey(key: string, index: number): string {
  return index === 0 ? key : `${key}#${index}`;
}
