// GET /channels/{id}/messages (Discord's "Get Channel Messages"): who may read a channel's history
// and which page of it a query selects, newest first.
import { Errors, FormErrors } from './errors';
import { TEXT_CHANNEL_TYPES } from './messages';
import { has, Permission } from './permissions';
import type { StoredMessage, World } from './world';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;
// A snowflake is an unsigned 64-bit integer; Discord accepts any such value as a cursor, even one
// that is no message's id (clients page by ids made from a time).
const MAX_SNOWFLAKE = (1n << 64n) - 1n;

export function channelHistory(world: World, channelId: string, query: URLSearchParams): StoredMessage[] {
  const channel = world.channels.get(channelId);
  if (!channel) throw Errors.unknownChannel();
  let canReadHistory = true;
  if (channel.guildId !== null) {
    const guild = world.guilds.get(channel.guildId);
    if (!guild?.members.has(world.bot.id)) throw Errors.missingAccess();
    const permissions = world.botPermissionsIn(channel);
    if (!has(permissions, Permission.ViewChannel)) throw Errors.missingAccess();
    // A category holds no messages.
    if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw Errors.invalidChannelType();
    // Discord's docs: "If the current user is missing the READ_MESSAGE_HISTORY permission in the
    // channel, then no messages will be returned": an empty list, not an error.
    canReadHistory = has(permissions, Permission.ReadMessageHistory);
  }

  const page = parseQuery(query);
  if (!canReadHistory) return [];
  const newestFirst = world.messages
    .filter((m) => m.channelId === channel.id)
    .map((m) => ({ m, id: BigInt(m.id) }))
    .sort((a, b) => (a.id === b.id ? 0 : a.id > b.id ? -1 : 1));

  let selected: typeof newestFirst;
  if (page.around !== undefined) {
    // Half the page after the message, the rest up to and including it (limit=1 is the message itself).
    const around = page.around;
    const newerCount = Math.floor(page.limit / 2);
    const newer = newestFirst.filter((x) => x.id > around);
    const older = newestFirst.filter((x) => x.id <= around);
    selected = [
      ...newer.slice(Math.max(0, newer.length - newerCount)),
      ...older.slice(0, page.limit - newerCount),
    ];
  } else if (page.before !== undefined) {
    const before = page.before;
    selected = newestFirst.filter((x) => x.id < before).slice(0, page.limit);
  } else if (page.after !== undefined) {
    // The messages just after the cursor (the oldest of the newer ones), still newest first.
    const after = page.after;
    const newer = newestFirst.filter((x) => x.id > after);
    selected = newer.slice(Math.max(0, newer.length - page.limit));
  } else {
    selected = newestFirst.slice(0, page.limit);
  }
  return selected.map((x) => x.m);
}

interface Page {
  limit: number;
  around?: bigint;
  before?: bigint;
  after?: bigint;
}

/**
 * limit 1-100 (default 50) and one cursor. Discord's docs call before/after/around mutually
 * exclusive; given several, one is used (around, then before, then after) rather than an error.
 */
function parseQuery(query: URLSearchParams): Page {
  const errors = new FormErrors();
  let limit = DEFAULT_LIMIT;
  const rawLimit = query.get('limit');
  if (rawLimit !== null) {
    if (!/^-?\d+$/.test(rawLimit)) {
      errors.add(['limit'], 'NUMBER_TYPE_COERCE', `Value "${rawLimit}" is not int.`);
    } else {
      limit = Number(rawLimit);
      if (limit < 1) {
        errors.add(['limit'], 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 1.');
      } else if (limit > MAX_LIMIT) {
        errors.add(['limit'], 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${MAX_LIMIT}.`);
      }
    }
  }
  const cursor = (name: 'around' | 'before' | 'after'): bigint | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    if (/^\d{1,20}$/.test(raw) && BigInt(raw) <= MAX_SNOWFLAKE) return BigInt(raw);
    errors.add([name], 'NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`);
    return undefined;
  };
  const around = cursor('around');
  const before = cursor('before');
  const after = cursor('after');
  if (!errors.empty) throw Errors.invalidFormBody(errors.toTree());
  if (around !== undefined) return { limit, around };
  if (before !== undefined) return { limit, before };
  if (after !== undefined) return { limit, after };
  return { limit };
}
