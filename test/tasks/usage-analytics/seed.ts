/** A guild's commands and usage days, written straight through the driver as the bot would have. */
import { ObjectId, type Db } from 'mongodb';
import { newCommandDoc } from '../../../src/db/command-doc';
import { COLLECTIONS, type CustomCommandDoc } from '../../../src/db/contract';
import { usageCollection, usageDayId } from '../../../src/db/usage-counter';

export interface SeededCommand {
  name: string;
  creatorId: string;
  createdAt: Date;
  lastUsedAt: Date;
  useCount: number;
  cleanup?: CustomCommandDoc['cleanup'];
}

/** Inserts the commands, then one usage document per `[name, day, uses]` (a name not among them: a deleted command). */
export async function seedGuild(
  db: Db,
  guildId: string,
  commands: SeededCommand[],
  usage: [name: string, day: string, uses: number, creatorId?: string][],
): Promise<void> {
  const docs = commands.map(({ createdAt, ...c }) =>
    newCommandDoc({ guildId, content: `content of ${c.name}`, at: createdAt, updatedAt: createdAt, ...c }),
  );
  if (docs.length > 0) await db.collection<CustomCommandDoc>(COLLECTIONS.commands).insertMany(docs);
  const idOf = new Map(docs.map((d) => [d.name, d._id.toHexString()]));
  const creatorOf = new Map(docs.map((d) => [d.name, d.creatorId]));
  const usageDocs = usage.map(([name, day, uses, creatorId]) => {
    const commandId = idOf.get(name) ?? new ObjectId().toHexString();
    return {
      _id: usageDayId(guildId, commandId, day),
      guildId,
      commandId,
      name,
      creatorId: creatorId ?? creatorOf.get(name)!,
      day,
      uses,
    };
  });
  if (usageDocs.length > 0) await usageCollection(db).insertMany(usageDocs);
}
