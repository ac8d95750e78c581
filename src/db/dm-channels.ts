/**
 * DM channel ids in MongoDB (`dm_channels`, keyed by user id), behind a small in-process
 * map: the first DM of a user costs Discord two requests (open the channel, send) on any
 * worker, every later one a single request, even after a restart.
 */
import type { Db } from 'mongodb';
import { BoundedMap } from '../discord/bounded-map';
import type { DmChannelDirectory } from '../discord/contract';
import { COLLECTIONS } from './contract';

interface DmChannelDoc {
  _id: string;
  channelId: string;
  rememberedAt: Date;
}

/** How many ids a worker keeps in memory in front of the collection. */
const MEMORY_ENTRIES = 10_000;

export function createDmChannelDirectory(db: Db): DmChannelDirectory {
  const collection = db.collection<DmChannelDoc>(COLLECTIONS.dmChannels);
  const memory = new BoundedMap<string, string>(MEMORY_ENTRIES);
  return {
    async get(userId) {
      const known = memory.get(userId);
      if (known !== undefined) return known;
      // A lookup that fails costs one request to Discord, which answers with the same channel.
      const doc = await collection.findOne({ _id: userId }).catch(() => null);
      if (doc) memory.set(userId, doc.channelId);
      return doc?.channelId;
    },
    async remember(userId, channelId) {
      memory.set(userId, channelId);
      await collection
        .updateOne({ _id: userId }, { $set: { channelId, rememberedAt: new Date() } }, { upsert: true })
        .catch(() => undefined);
    },
    async forget(userId) {
      memory.delete(userId);
      await collection.deleteOne({ _id: userId }).catch(() => undefined);
    },
  };
}
