/**
 * Where a user's records are, collection by collection: the one table that export and
 * erase read. A collection joining the data contract (COLLECTIONS) gets one entry here;
 * a test fails while one is missing.
 */
import type { Db, Filter, ObjectId } from 'mongodb';
import { COLLECTIONS } from '../db/contract';

/** Whose records, and where: every guild when `guildId` is absent. */
export interface UserScope {
  userId: string;
  guildId?: string;
}

/** Any document of the contract: its `_id` a string key or an ObjectId. */
export interface AnyDocument {
  _id: string | ObjectId;
  [field: string]: unknown;
}

export type UserFilter = Filter<AnyDocument>;

export type UserRecordsRule =
  /** Whole documents about the user: exported and deleted. `null`: none in this scope. */
  | {
      collection: string;
      kind: 'documents';
      filter(scope: UserScope, db: Db): UserFilter | null | Promise<UserFilter | null>;
    }
  /** Holds nothing about any user (say why). */
  | { collection: string; kind: 'none'; because: string };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A field naming the user, and the guild field when the scope has one. */
const byField =
  (field: string) =>
  ({ userId, guildId }: UserScope): UserFilter => ({
    [field]: userId,
    ...(guildId ? { guildId } : {}),
  });

/**
 * In table order: the withdrawals are found through the user's commands and archive
 * entries, so they come before them (a retried erase still finds them).
 */
export const USER_RECORDS: UserRecordsRule[] = [
  {
    collection: COLLECTIONS.withdrawals,
    kind: 'documents',
    // Keyed `<guildId>:<commandId>:<warnedAt>`: the withdrawals of the user's commands.
    filter: async (scope, db) => {
      const ids = await withdrawalsOf(db, scope);
      return ids.length ? { _id: { $in: ids } } : null;
    },
  },
  { collection: COLLECTIONS.commands, kind: 'documents', filter: byField('creatorId') },
  { collection: COLLECTIONS.archive, kind: 'documents', filter: byField('creatorId') },
  {
    collection: COLLECTIONS.notifications,
    kind: 'documents',
    // Keyed `<guildId>:<recipientId>:<phase>:<runKey>`: a key segment is the user's id.
    filter: ({ userId, guildId }) => ({
      _id: {
        $regex: guildId
          ? `^${escapeRegex(guildId)}:(.*:)?${escapeRegex(userId)}(:|$)`
          : `(^|:)${escapeRegex(userId)}(:|$)`,
      },
    }),
  },
  { collection: COLLECTIONS.incidents, kind: 'documents', filter: byField('creatorId') },
  { collection: COLLECTIONS.usage, kind: 'documents', filter: byField('creatorId') },
  {
    collection: COLLECTIONS.dmChannels,
    kind: 'documents',
    // The user's DM channel with the bot belongs to no guild: erased only with every guild.
    filter: ({ userId, guildId }) => (guildId ? null : { _id: userId }),
  },
  {
    collection: COLLECTIONS.runs,
    kind: 'none',
    because: 'one document per guild: the last summary time and run key',
  },
  { collection: COLLECTIONS.locks, kind: 'none', because: 'one lease per guild, naming a run' },
];

/** The ids of the withdrawals of the user's commands, live or archived. */
async function withdrawalsOf(db: Db, scope: UserScope): Promise<string[]> {
  const filter = byField('creatorId')(scope);
  const [live, archived] = await Promise.all([
    db
      .collection<AnyDocument>(COLLECTIONS.commands)
      .find(filter, { projection: { _id: 1, guildId: 1 } })
      .toArray(),
    db
      .collection<AnyDocument>(COLLECTIONS.archive)
      .find(filter, { projection: { commandId: 1, guildId: 1 } })
      .toArray(),
  ]);
  const commandKeys = new Set([
    ...live.map((doc) => `${String(doc.guildId)}:${String(doc._id)}`),
    ...archived.map((doc) => `${String(doc.guildId)}:${String(doc.commandId)}`),
  ]);
  if (commandKeys.size === 0) return [];
  const guilds = [...new Set([...commandKeys].map((key) => key.split(':')[0]!))];
  const withdrawals = await db
    .collection<{ _id: string }>(COLLECTIONS.withdrawals)
    .find({ guildId: { $in: guilds } }, { projection: { _id: 1 } })
    .toArray();
  return withdrawals.map((doc) => doc._id).filter((id) => commandKeys.has(id.slice(0, id.lastIndexOf(':'))));
}

/** The rules that find documents, with their filters for this scope (null: nothing to look for). */
export async function userFilters(
  db: Db,
  scope: UserScope,
): Promise<{ collection: string; filter: UserFilter | null }[]> {
  const found = [];
  for (const rule of USER_RECORDS) {
    if (rule.kind === 'documents')
      found.push({ collection: rule.collection, filter: await rule.filter(scope, db) });
  }
  return found;
}
