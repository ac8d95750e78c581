/** Typed handles on the collections of the data contract. */
import type { Collection, Db } from 'mongodb';
import { COLLECTIONS, type ArchivedCommand, type CustomCommandDoc } from './contract';

export interface CommandCollections {
  commands: Collection<CustomCommandDoc>;
  archive: Collection<ArchivedCommand>;
}

export function commandCollections(db: Db): CommandCollections {
  return {
    commands: db.collection<CustomCommandDoc>(COLLECTIONS.commands),
    archive: db.collection<ArchivedCommand>(COLLECTIONS.archive),
  };
}
