// GET /users/@me/guilds (Discord's "Get Current User Guilds"): the bot's guilds in id order,
// one page of at most 200, after or before a guild id.
import { Errors, FormErrors } from './errors';
import type { Guild, World } from './world';

const MAX_LIMIT = 200;

export function currentUserGuilds(world: World, query: URLSearchParams): Guild[] {
  const errors = new FormErrors();
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? MAX_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    errors.add(['limit'], 'NUMBER_TYPE_MAX', `int value should be between 1 and ${MAX_LIMIT}.`);
  }
  const cursor = (name: 'after' | 'before'): bigint | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    if (!/^\d{1,20}$/.test(raw)) {
      errors.add([name], 'NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`);
      return undefined;
    }
    return BigInt(raw);
  };
  const after = cursor('after');
  const before = cursor('before');
  if (!errors.empty) throw Errors.invalidFormBody(errors.toTree());

  const ascending = world
    .guildsOf(world.bot.id)
    .map((guild) => ({ guild, id: BigInt(guild.id) }))
    .filter(({ id }) => (after === undefined || id > after) && (before === undefined || id < before))
    .sort((a, b) => (a.id === b.id ? 0 : a.id < b.id ? -1 : 1))
    .map(({ guild }) => guild);
  // With `before` alone Discord returns the page just before it, still in ascending order.
  return before !== undefined && after === undefined ? ascending.slice(-limit) : ascending.slice(0, limit);
}
