/**
 * Which documents of a collection belong to one guild: most carry a `guildId`; the
 * notification log's keys start with `<guildId>:`; the run log and the run lock hold
 * one document per guild, keyed by its id; DM channels belong to users, not guilds.
 */
import type { Document } from 'mongodb';
import type { CollectionKey } from './indexes';

/** The guild's documents in `collection`; null when the collection is not kept per guild. */
export function guildScope(collection: CollectionKey, guildId: string): Document | null {
  switch (collection) {
    case 'notifications':
      // Every key is `<guildId>:...`; ';' sorts right after ':', so this is exactly that prefix.
      return { _id: { $gte: `${guildId}:`, $lt: `${guildId};` } };
    case 'runs':
    case 'locks':
      return { _id: guildId };
    case 'dmChannels':
      return null;
    default:
      return { guildId };
  }
}
