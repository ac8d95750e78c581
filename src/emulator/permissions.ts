// Discord's permission computation from raw REST data (roles, member roles, channel overwrites).
// Pure functions over BigInt: permission bits go past 2^53.
// Deliberately independent of src/discord/permissions.ts, which computes the same thing for
// the product: this one is the test oracle the product is checked against, so it shares no
// code (not even discord.js's flags) with what it tests; a bug in one cannot hide in both.

export const Permission = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
} as const;

/** Every permission bit Discord currently defines (0..50), what owners and administrators get. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

export interface RoleLike {
  id: string;
  permissions: bigint;
}

export interface OverwriteLike {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  userId: string;
  /** All roles of the guild; the @everyone role has the guild's id. */
  roles: readonly RoleLike[];
  /** The member's role ids (without @everyone, as Discord sends them). */
  memberRoleIds: readonly string[];
}

/** Guild-level permissions: owner → all; else @everyone OR member roles; Administrator → all. */
export function computeBasePermissions(s: PermissionSubject): bigint {
  if (s.userId === s.ownerId) return ALL_PERMISSIONS;
  const memberRoles = new Set(s.memberRoleIds);
  let permissions = 0n;
  for (const role of s.roles) {
    if (role.id === s.guildId || memberRoles.has(role.id)) permissions |= role.permissions;
  }
  return permissions & Permission.Administrator ? ALL_PERMISSIONS : permissions;
}

/**
 * Channel permissions: base, then overwrites in Discord's order: @everyone (deny, allow), the
 * member's roles combined (all denies, then all allows), then the member's own overwrite.
 */
export function computeChannelPermissions(
  s: PermissionSubject,
  overwrites: readonly OverwriteLike[],
): bigint {
  let permissions = computeBasePermissions(s);
  // Owners and administrators get ALL_PERMISSIONS, which includes the Administrator bit: no overwrites.
  if (permissions & Permission.Administrator) return ALL_PERMISSIONS;

  const everyone = overwrites.find((o) => o.type === 0 && o.id === s.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;

  const memberRoles = new Set(s.memberRoleIds);
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== s.guildId && memberRoles.has(o.id)) {
      roleDeny |= o.deny;
      roleAllow |= o.allow;
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;

  const member = overwrites.find((o) => o.type === 1 && o.id === s.userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  return permissions;
}

export function has(permissions: bigint, bit: bigint): boolean {
  return (permissions & bit) === bit;
}
