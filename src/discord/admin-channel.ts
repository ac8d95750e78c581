/**
 * Which channel gets the admin summary: the first configured name (in order) with a text
 * channel where the bot may View Channel, Send Messages and Embed Links, computed from
 * roles and overwrites. Pure: preflight fetches the guild's data and asks this.
 */
import { ChannelType, type APIChannel, type APIRole } from 'discord.js';
import type { AdminChannel } from './contract';
import { SUMMARY_EXTRA_PERMISSIONS, computeChannelPermissions, missingPermissions } from './permissions';
import { compareSnowflakes } from './posted-message';

/** Channel types a bot can post an embed in. */
const POSTABLE_CHANNEL_TYPES = new Set<number>([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

export interface AdminChannelInput {
  guildId: string;
  guildOwnerId: string;
  botUserId: string;
  botRoleIds: string[];
  channels: APIChannel[];
  roles: APIRole[];
  adminChannelNames: string[];
}

export type AdminChannelChoice =
  { adminChannel: AdminChannel; adminChannelLimitations?: string[] } | { degradedReason: string };

/**
 * The channel, or why there is none (each candidate and what it lacks). A channel missing
 * only what a summary needs in some cases (SUMMARY_EXTRA_PERMISSIONS) is still chosen, with
 * what it lacks and what that costs in `adminChannelLimitations`.
 */
export function chooseAdminChannel(input: AdminChannelInput): AdminChannelChoice {
  const notes: string[] = [];
  for (const wanted of input.adminChannelNames) {
    const candidates = input.channels
      .filter(
        (c): c is APIChannel & { name: string; position: number } =>
          POSTABLE_CHANNEL_TYPES.has(c.type) &&
          'name' in c &&
          typeof c.name === 'string' &&
          c.name.toLowerCase() === wanted.toLowerCase(),
      )
      .sort((a, b) => a.position - b.position || compareSnowflakes(a.id, b.id));
    if (candidates.length === 0) {
      notes.push(`no text channel named #${wanted}`);
      continue;
    }
    for (const channel of candidates) {
      const permissions = computeChannelPermissions({
        guildId: input.guildId,
        guildOwnerId: input.guildOwnerId,
        roles: input.roles,
        memberUserId: input.botUserId,
        memberRoleIds: input.botRoleIds,
        permissionOverwrites: 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [],
      });
      const missing = missingPermissions(permissions);
      if (missing.length === 0) {
        const adminChannel = { id: channel.id, name: channel.name };
        const limitations = limitationsOf(
          channel.name,
          missingPermissions(permissions, SUMMARY_EXTRA_PERMISSIONS),
        );
        return limitations.length ? { adminChannel, adminChannelLimitations: limitations } : { adminChannel };
      }
      notes.push(`#${channel.name} (${channel.id}) lacks ${missing.join(', ')}`);
    }
  }
  const tried = input.adminChannelNames.length ? notes.join('; ') : 'no admin channel names configured';
  return { degradedReason: `No admin channel where the bot may post the summary: ${tried}` };
}

function limitationsOf(channelName: string, missing: string[]): string[] {
  return missing.map((name) =>
    name === 'Attach Files'
      ? `#${channelName} lacks Attach Files: a summary too long for three messages cannot be posted with its full list`
      : `#${channelName} lacks ${name}: a summary part retried after a few minutes may be posted twice`,
  );
}
