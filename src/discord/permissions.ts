/**
 * A member's permissions in a guild channel, computed from raw REST data the way Discord
 * does (discord.js only offers this on cached gateway objects, and the worker has no
 * gateway). Pure, so the preflight's "may the bot post here?" is tested in milliseconds.
 */
import { OverwriteType, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

export const Permission = {
  Administrator: PermissionFlagsBits.Administrator, // 1n << 3n
  ViewChannel: PermissionFlagsBits.ViewChannel, // 1n << 10n
  SendMessages: PermissionFlagsBits.SendMessages, // 1n << 11n
  EmbedLinks: PermissionFlagsBits.EmbedLinks, // 1n << 14n
  AttachFiles: PermissionFlagsBits.AttachFiles, // 1n << 15n
  ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory, // 1n << 16n
} as const;

/** Every permission Discord knows: what the owner and administrators have. */
export const ALL_PERMISSIONS: bigint = PermissionsBitField.All;

/** What posting an embed in a channel requires. */
export const POST_EMBED_PERMISSIONS: readonly { name: string; bit: bigint }[] = [
  { name: 'View Channel', bit: Permission.ViewChannel },
  { name: 'Send Messages', bit: Permission.SendMessages },
  { name: 'Embed Links', bit: Permission.EmbedLinks },
];

/**
 * What a summary needs beyond posting an embed, in some cases only: Attach Files when its
 * list is too long for three messages (the full list is a file), Read Message History to
 * find a part already posted when a send is retried past Discord's nonce window.
 */
export const SUMMARY_EXTRA_PERMISSIONS: readonly { name: string; bit: bigint }[] = [
  { name: 'Attach Files', bit: Permission.AttachFiles },
  { name: 'Read Message History', bit: Permission.ReadMessageHistory },
];

export interface RoleData {
  id: string;
  /** Decimal string, as the REST API sends it. */
  permissions: string;
}

export interface OverwriteData {
  id: string;
  type: OverwriteType | 0 | 1;
  allow: string;
  deny: string;
}

export interface ChannelPermissionInput {
  guildId: string;
  guildOwnerId: string;
  /** All roles of the guild, including @everyone (whose id is the guild id). */
  roles: readonly RoleData[];
  memberUserId: string;
  /** The member's role ids (without @everyone, as the REST API sends them). */
  memberRoleIds: readonly string[];
  permissionOverwrites: readonly OverwriteData[];
}

export function computeChannelPermissions(input: ChannelPermissionInput): bigint {
  if (input.memberUserId === input.guildOwnerId) return ALL_PERMISSIONS;

  const roleById = new Map(input.roles.map((role) => [role.id, role]));
  const memberRoles = new Set(input.memberRoleIds);

  let permissions = toBits(roleById.get(input.guildId)?.permissions);
  for (const roleId of memberRoles) permissions |= toBits(roleById.get(roleId)?.permissions);
  if ((permissions & Permission.Administrator) !== 0n) return ALL_PERMISSIONS;

  const overwrites = input.permissionOverwrites;
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === input.guildId);
  if (everyone) permissions = apply(permissions, toBits(everyone.deny), toBits(everyone.allow));

  // Role overwrites are combined first, so one role's allow beats another role's deny.
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== input.guildId && memberRoles.has(o.id)) {
      roleDeny |= toBits(o.deny);
      roleAllow |= toBits(o.allow);
    }
  }
  permissions = apply(permissions, roleDeny, roleAllow);

  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === input.memberUserId);
  if (own) permissions = apply(permissions, toBits(own.deny), toBits(own.allow));
  return permissions;
}

/** Names of the required permissions the bit set lacks (empty when all are there). */
export function missingPermissions(
  permissions: bigint,
  required: readonly { name: string; bit: bigint }[] = POST_EMBED_PERMISSIONS,
): string[] {
  return required.filter((p) => (permissions & p.bit) !== p.bit).map((p) => p.name);
}

function apply(permissions: bigint, deny: bigint, allow: bigint): bigint {
  return (permissions & ~deny) | allow;
}

function toBits(value: string | undefined): bigint {
  if (!value) return 0n;
  try {
    return BigInt(value);
  } catch {
    return 0n; // a malformed string grants nothing rather than crashing the preflight
  }
}
