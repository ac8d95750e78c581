// Unit tests: channel permission math from raw REST data, as Discord computes it.
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  Permission,
  computeChannelPermissions,
  missingPermissions,
  type ChannelPermissionInput,
} from '../../src/discord/permissions';

const GUILD = '800000000000000001';
const BOT = '800000000000000002';
const OWNER = '800000000000000003';
const MODS = '800000000000000010';
const BOTS = '800000000000000011';
const MUTED = '800000000000000012';

const { ViewChannel, SendMessages, EmbedLinks, Administrator } = Permission;
const POST = ViewChannel | SendMessages | EmbedLinks;
const str = (bits: bigint) => bits.toString();

function input(overrides: Partial<ChannelPermissionInput> = {}): ChannelPermissionInput {
  return {
    guildId: GUILD,
    guildOwnerId: OWNER,
    roles: [
      { id: GUILD, permissions: str(ViewChannel | SendMessages) },
      { id: MODS, permissions: str(EmbedLinks) },
      { id: BOTS, permissions: '0' },
      { id: MUTED, permissions: '0' },
    ],
    memberUserId: BOT,
    memberRoleIds: [],
    permissionOverwrites: [],
    ...overrides,
  };
}

describe('computeChannelPermissions (unit)', () => {
  it('gives the guild owner every permission, whatever the overwrites', () => {
    const perms = computeChannelPermissions(
      input({
        memberUserId: OWNER,
        permissionOverwrites: [{ id: OWNER, type: 1, allow: '0', deny: str(POST) }],
      }),
    );
    expect(perms).toBe(ALL_PERMISSIONS);
  });

  it('ORs @everyone with the member roles', () => {
    const perms = computeChannelPermissions(input({ memberRoleIds: [MODS] }));
    expect(perms).toBe(POST);
    expect(missingPermissions(perms)).toEqual([]);
    expect(missingPermissions(computeChannelPermissions(input()))).toEqual(['Embed Links']);
  });

  it('gives Administrator everything, overwrites included', () => {
    const perms = computeChannelPermissions(
      input({
        roles: [
          { id: GUILD, permissions: '0' },
          { id: BOTS, permissions: str(Administrator) },
        ],
        memberRoleIds: [BOTS],
        permissionOverwrites: [{ id: GUILD, type: 0, allow: '0', deny: str(POST) }],
      }),
    );
    expect(perms).toBe(ALL_PERMISSIONS);
  });

  it('lets a role allow win over an @everyone deny', () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MODS],
        permissionOverwrites: [
          { id: GUILD, type: 0, allow: '0', deny: str(ViewChannel) },
          { id: MODS, type: 0, allow: str(ViewChannel), deny: '0' },
        ],
      }),
    );
    expect(perms & POST).toBe(POST);
  });

  it('denies with @everyone when no role allows', () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MODS],
        permissionOverwrites: [{ id: GUILD, type: 0, allow: '0', deny: str(ViewChannel) }],
      }),
    );
    expect(missingPermissions(perms)).toEqual(['View Channel']);
  });

  it('combines role overwrites: one role allowing beats another role denying', () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MODS, MUTED],
        permissionOverwrites: [
          { id: MUTED, type: 0, allow: '0', deny: str(SendMessages) },
          { id: MODS, type: 0, allow: str(SendMessages), deny: '0' },
        ],
      }),
    );
    expect(perms & SendMessages).toBe(SendMessages);
  });

  it('ignores overwrites of roles the member does not have', () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MODS],
        permissionOverwrites: [{ id: MUTED, type: 0, allow: '0', deny: str(POST) }],
      }),
    );
    expect(perms).toBe(POST);
  });

  it("applies the member's own overwrite last: its deny wins over role allows", () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MODS],
        permissionOverwrites: [
          { id: MODS, type: 0, allow: str(POST), deny: '0' },
          { id: BOT, type: 1, allow: '0', deny: str(SendMessages) },
        ],
      }),
    );
    expect(missingPermissions(perms)).toEqual(['Send Messages']);
  });

  it("applies the member's own allow over a role deny", () => {
    const perms = computeChannelPermissions(
      input({
        memberRoleIds: [MUTED],
        permissionOverwrites: [
          { id: MUTED, type: 0, allow: '0', deny: str(POST) },
          { id: BOT, type: 1, allow: str(POST), deny: '0' },
        ],
      }),
    );
    expect(perms & POST).toBe(POST);
  });

  it('does not mistake a member overwrite for a role overwrite with the same id', () => {
    const perms = computeChannelPermissions(
      input({ permissionOverwrites: [{ id: GUILD, type: 1, allow: '0', deny: str(POST) }] }),
    );
    expect(perms).toBe(ViewChannel | SendMessages);
  });

  it('treats unknown roles and malformed permission strings as granting nothing', () => {
    const perms = computeChannelPermissions(
      input({
        roles: [{ id: GUILD, permissions: 'not-a-number' }],
        memberRoleIds: ['800000000000000099'],
      }),
    );
    expect(perms).toBe(0n);
  });

  it('exposes the flag values Discord documents', () => {
    expect([ViewChannel, SendMessages, EmbedLinks, Administrator]).toEqual([
      1n << 10n,
      1n << 11n,
      1n << 14n,
      1n << 3n,
    ]);
  });
});
