/**
 * A task's report to the guild's admins: the first configured admin channel where the
 * bot may post embeds, found by the preflight (token, guild, channel permissions), then
 * the messages with Discord's nonce derived from the key, so a retried activity posts
 * nothing twice within Discord's nonce window. Shared by every task; a task that
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
  const messageIds = await discord.postToChannel(preflight.adminChannel.id, input.messages, input.key);
  return { status: 'posted', channelId: preflight.adminChannel.id, messageIds };
}

export function createAdminReportActivities(deps: { discord: DiscordGateway }) {
  return {
    postAdminReport: (input: AdminReportInput): Promise<AdminReportOutcome> =>
      postAdminMessages(deps.discord, input),
  };
}

export type AdminReportActivities = ReturnType<typeof createAdminReportActivities>;
