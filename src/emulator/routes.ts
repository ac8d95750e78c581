// The REST v10 routes the product uses, answered from the world's state.
import { channelHistory } from './channel-history';
import type { EmulatorConfig } from './config';
import { currentUserGuilds } from './current-user-guilds';
import { Errors, FormErrors, type DiscordError } from './errors';
import { createMessage, type NonceStore } from './messages';
import type { HiddenLimit } from './rate-limits';
import type { UploadedFile } from './request-body';
import {
  channelJson,
  currentUserJson,
  guildJson,
  memberJson,
  messageJson,
  partialGuildJson,
  roleJson,
  userJson,
} from './representations';
import { isSnowflake } from './snowflake';
import type { Guild, World } from './world';

export interface RouteContext {
  world: World;
  config: EmulatorConfig;
  nonces: NonceStore;
  dmOpenLimit: HiddenLimit;
  params: Record<string, string>;
  /** The query string (GET /channels/{id}/messages pages with it). */
  query: URLSearchParams;
  /** The JSON body, or payload_json of a multipart body. */
  body: unknown;
  /** Files of a multipart body (files[n] parts). */
  files: UploadedFile[];
  /** The emulator's own URL, the base of attachment URLs. */
  baseUrl: string;
  now: number;
}

export interface RouteDef {
  method: string;
  /** Path after /api/v10; ':name' segments are parameters. */
  template: string;
  /** The top-level resource parameter that keys the rate-limit bucket (Discord's "major parameter"). */
  major: 'channel_id' | 'guild_id' | null;
  handler: (ctx: RouteContext) => unknown;
}

export const routes: RouteDef[] = [
  { method: 'GET', template: '/users/@me', major: null, handler: ({ world }) => currentUserJson(world.bot) },
  {
    method: 'GET',
    template: '/users/@me/guilds',
    major: null,
    handler: ({ world, query }) =>
      currentUserGuilds(world, query).map((g) => partialGuildJson(g, world.bot.id)),
  },
  {
    method: 'POST',
    template: '/users/@me/channels',
    major: null,
    handler: ({ world, body, dmOpenLimit, now }) => {
      const recipientId = (body as { recipient_id?: unknown } | null)?.recipient_id;
      if (!isSnowflake(recipientId)) {
        const errors = new FormErrors();
        errors.add(
          ['recipient_id'],
          'NUMBER_TYPE_COERCE',
          `Value "${String(recipientId)}" is not snowflake.`,
        );
        throw Errors.invalidFormBody(errors.toTree());
      }
      if (!world.users.has(recipientId)) throw Errors.unknownUser();
      if (!dmOpenLimit.take(world.token, now)) throw Errors.openingDmsTooFast();
      return channelJson(world.openDm(recipientId), world);
    },
  },
  {
    method: 'GET',
    template: '/users/:user_id',
    major: null,
    handler: ({ world, params }) => {
      const user = world.users.get(params.user_id!);
      if (!user) throw Errors.unknownUser();
      return userJson(user);
    },
  },
  {
    method: 'POST',
    template: '/channels/:channel_id/messages',
    major: 'channel_id',
    handler: ({ world, nonces, config, params, body, files, baseUrl, now }) =>
      messageJson(
        createMessage(world, nonces, config, params.channel_id!, { body, files, baseUrl }, now),
        world,
      ),
  },
  {
    method: 'GET',
    template: '/channels/:channel_id/messages',
    major: 'channel_id',
    handler: ({ world, params, query }) =>
      channelHistory(world, params.channel_id!, query).map((m) =>
        messageJson(m, world, { withNonce: false }),
      ),
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id',
    major: 'guild_id',
    handler: ({ world, params }) => guildJson(visibleGuild(world, params.guild_id!)),
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/channels',
    major: 'guild_id',
    handler: ({ world, params }) =>
      visibleGuild(world, params.guild_id!).channelIds.map((id) =>
        channelJson(world.channels.get(id)!, world),
      ),
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/roles',
    major: 'guild_id',
    handler: ({ world, params }) => visibleGuild(world, params.guild_id!).roles.map(roleJson),
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/members/:user_id',
    major: 'guild_id',
    handler: ({ world, params }) => {
      const guild = visibleGuild(world, params.guild_id!);
      const user = world.users.get(params.user_id!);
      if (!user) throw Errors.unknownUser();
      const member = guild.members.get(user.id);
      if (!member) throw Errors.unknownMember();
      return memberJson(member, user);
    },
  },
];

/** A guild the bot can see: unknown → 10004; exists but the bot is not a member → 50001. */
function visibleGuild(world: World, guildId: string): Guild {
  const guild = world.guilds.get(guildId);
  if (!guild) throw Errors.unknownGuild();
  if (!guild.members.has(world.bot.id)) throw Errors.missingAccess();
  return guild;
}

export type RouteMatch = { route: RouteDef; params: Record<string, string> };

/** Matches decoded path segments; literal segments (like '@me') win over parameters by table order. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch | DiscordError | null {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? Errors.methodNotAllowed() : null;
}

function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | null {
  const parts = template.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(':')) {
      // A literal like '@me' is never an id: let it fall through to its own route.
      if (segment.startsWith('@')) return null;
      params[part.slice(1)] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

export const routeKey = (route: RouteDef): string => `${route.method} ${route.template}`;
