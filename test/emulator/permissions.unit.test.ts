// Unit tests of the pure permission computation (no server, no client).
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  computeBasePermissions,
  computeChannelPermissions,
  Permission,
  type OverwriteLike,
  type PermissionSubject,
} from '../../src/emulator';

const GUILD = '100000000000000000';
const OWNER = '100000000000000001';
const USER = '100000000000000002';
const ROLE_A = '100000000000000003';
const ROLE_B = '100000000000000004';
const { ViewChannel: VIEW, SendMessages: SEND, EmbedLinks: EMBED, Administrator: ADMIN } = Permission;

const subject = (over: Partial<PermissionSubject> = {}): PermissionSubject => ({
  guildId: GUILD,
  ownerId: OWNER,
  userId: USER,
  roles: [
    { id: GUILD, permissions: VIEW | SEND },
    { id: ROLE_A, permissions: EMBED },
    { id: ROLE_B, permissions: 0n },
  ],
  memberRoleIds: [ROLE_A],
  ...over,
});
const ow = (id: string, type: 0 | 1, allow: bigint, deny: bigint): OverwriteLike => ({
  id,
  type,
  allow,
  deny,
});

describe('permission math (unit)', () => {
  it('base: OR of @everyone and the member roles only', () => {
    expect(computeBasePermissions(subject())).toBe(VIEW | SEND | EMBED);
    expect(computeBasePermissions(subject({ memberRoleIds: [] }))).toBe(VIEW | SEND);
  });

  it('the owner gets everything, even against deny overwrites', () => {
    const s = subject({ userId: OWNER, memberRoleIds: [] });
    expect(computeBasePermissions(s)).toBe(ALL_PERMISSIONS);
    expect(computeChannelPermissions(s, [ow(GUILD, 0, 0n, VIEW), ow(OWNER, 1, 0n, VIEW)])).toBe(
      ALL_PERMISSIONS,
    );
  });

  it('Administrator from any role gives everything and skips overwrites', () => {
    const s = subject({
      roles: [...subject().roles, { id: ROLE_B, permissions: ADMIN }],
      memberRoleIds: [ROLE_B],
    });
    expect(computeChannelPermissions(s, [ow(USER, 1, 0n, VIEW | SEND)])).toBe(ALL_PERMISSIONS);
  });

  it('@everyone overwrite applies deny then allow', () => {
    expect(computeChannelPermissions(subject(), [ow(GUILD, 0, 0n, VIEW)])).toBe(SEND | EMBED);
    expect(computeChannelPermissions(subject({ memberRoleIds: [] }), [ow(GUILD, 0, EMBED, SEND)])).toBe(
      VIEW | EMBED,
    );
  });

  it('role overwrites combine: all denies first, then all allows (allow wins across roles)', () => {
    const s = subject({ memberRoleIds: [ROLE_A, ROLE_B] });
    const overwrites = [ow(ROLE_A, 0, 0n, SEND), ow(ROLE_B, 0, SEND, 0n)];
    expect(computeChannelPermissions(s, overwrites) & SEND).toBe(SEND);
    // A role overwrite beats the @everyone overwrite.
    expect(computeChannelPermissions(s, [ow(GUILD, 0, 0n, VIEW), ow(ROLE_A, 0, VIEW, 0n)]) & VIEW).toBe(VIEW);
  });

  it('overwrites of roles the member lacks do not apply', () => {
    expect(computeChannelPermissions(subject(), [ow(ROLE_B, 0, 0n, VIEW)]) & VIEW).toBe(VIEW);
  });

  it('the member overwrite comes last and wins over roles', () => {
    const overwrites = [ow(ROLE_A, 0, SEND, 0n), ow(USER, 1, 0n, SEND)];
    expect(computeChannelPermissions(subject(), overwrites) & SEND).toBe(0n);
    expect(computeChannelPermissions(subject(), [ow(GUILD, 0, 0n, VIEW), ow(USER, 1, VIEW, 0n)]) & VIEW).toBe(
      VIEW,
    );
  });

  it('works above bit 31 and 53 (BigInt)', () => {
    const high = 1n << 50n;
    const s = subject({ roles: [{ id: GUILD, permissions: VIEW | high }], memberRoleIds: [] });
    expect(computeChannelPermissions(s, [])).toBe(VIEW | high);
    expect(computeChannelPermissions(s, [ow(GUILD, 0, 0n, high)])).toBe(VIEW);
  });
});
