/** Commands and archive entries of one guild, shaped as the bot and the cleanup write them. */
import { ObjectId, type Db } from 'mongodb';
import { COLLECTIONS, newCommandDoc, type ArchivedCommand, type CustomCommandDoc } from '../../../src/db';
import { DAY_MS } from '../../../src/duration';

export function seedCommands(
  guildId: string,
  creators: [string, string],
  now = Date.now(),
): CustomCommandDoc[] {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS);
  return [
    command(guildId, 'hello', creators[0], at(40), at(10), 7),
    command(guildId, 'rules', creators[0], at(30), at(2), 0),
    {
      ...command(guildId, 'old-joke', creators[1], at(100), at(70), 3),
      // A pending warning: the cleanup's own field must come back as it was.
      cleanup: {
        warnedAt: at(5),
        deleteAfter: new Date(now + 25 * DAY_MS),
        runKey: `${guildId}:run`,
        graceWorkflowId: `grace:${guildId}:x`,
        selectedBefore: at(60),
      },
    },
  ];
}

function command(
  guildId: string,
  name: string,
  creatorId: string,
  createdAt: Date,
  lastUsedAt: Date,
  useCount: number,
): CustomCommandDoc {
  const content = `The ${name} command's text, with "quotes" and ünïcode ✓`;
  return newCommandDoc({ guildId, name, content, creatorId, at: createdAt, lastUsedAt, useCount });
}

export function seedArchive(
  guildId: string,
  creators: [string, string],
  now = Date.now(),
): ArchivedCommand[] {
  return creators.map((creatorId, i) => {
    const warnedAt = new Date(now - (40 + i) * DAY_MS);
    const commandId = new ObjectId().toHexString();
    return {
      _id: `${guildId}:${commandId}:${warnedAt.getTime()}`,
      commandId,
      guildId,
      name: `gone-${i}`,
      content: `deleted text ${i}`,
      creatorId,
      createdAt: new Date(now - 200 * DAY_MS),
      updatedAt: new Date(now - 200 * DAY_MS),
      lastUsedAt: new Date(now - 150 * DAY_MS),
      useCount: i,
      warnedAt,
      deletedAt: new Date(now - (10 + i) * DAY_MS),
      runKey: `${guildId}:run-${i}`,
    };
  });
}

export async function insertSeed(db: Db, commands: CustomCommandDoc[], archive: ArchivedCommand[]) {
  if (commands.length) await db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertMany(commands);
  if (archive.length) await db.collection<ArchivedCommand>(COLLECTIONS.archive).insertMany(archive);
}

/** The guild's documents, in a stable order, as the database returns them. */
export async function guildDocuments(db: Db, guildId: string) {
  const [commands, archive] = await Promise.all([
    db.collection(COLLECTIONS.commands).find({ guildId }).sort({ name: 1 }).toArray(),
    db.collection(COLLECTIONS.archive).find({ guildId }).sort({ name: 1 }).toArray(),
  ]);
  return { commands, archive };
}
