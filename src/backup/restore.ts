/**
 * Restoring a guild from a backup: what is missing comes back with its original id
 * and fields; nothing present is touched, except a command newer in the database
 * than in the backup, replaced only when asked (`overwrite`). The whole file is
 * verified before the first write, so a bad file changes nothing. A dry run counts
 * the same and writes nothing.
 */
import {
  MongoBulkWriteError,
  type Collection,
  type Db,
  type Document,
  type ObjectId,
  type OptionalUnlessRequiredId,
} from 'mongodb';

/** Archive entries are keyed by their deterministic archive key. */
type ArchiveDoc = Document & { _id: string };
import { COLLECTIONS } from '../db/contract';
import { isDuplicateKeyError } from '../db/mongo-errors';
import type { BackupRecord } from './format';
import { readBackup, verifyBackup, type BackupLocation } from './reader';

/** Records handled per round trip. */
const BATCH = 200;

export interface RestoreCounts {
  commands: { restored: number; overwritten: number; keptNewer: number; alreadyPresent: number };
  archive: { restored: number; alreadyPresent: number };
}

export interface RestoreResult extends RestoreCounts {
  guildId: string;
  createdAt: string;
  dryRun: boolean;
  overwrite: boolean;
}

export async function restoreGuildBackup(options: {
  db: Db;
  file: BackupLocation;
  guildId: string;
  dryRun?: boolean;
  overwrite?: boolean;
}): Promise<RestoreResult> {
  const { db, file, guildId, dryRun = false, overwrite = false } = options;
  const summary = await verifyBackup(file, guildId);
  const counts: RestoreCounts = {
    commands: { restored: 0, overwritten: 0, keptNewer: 0, alreadyPresent: 0 },
    archive: { restored: 0, alreadyPresent: 0 },
  };
  const target = {
    commands: db.collection<Document>(COLLECTIONS.commands),
    archive: db.collection<ArchiveDoc>(COLLECTIONS.archive),
  };
  const batches: Record<BackupRecord['t'], Document[]> = { command: [], archive: [] };
  const flush = async (t: BackupRecord['t']) => {
    const docs = batches[t].splice(0);
    if (t === 'command') await restoreCommands(target.commands, guildId, docs, { dryRun, overwrite }, counts);
    else await restoreArchive(target.archive, docs, dryRun, counts);
  };
  for await (const record of readBackup(file, { guildId, trusted: true })) {
    batches[record.t].push(record.doc);
    if (batches[record.t].length >= BATCH) await flush(record.t);
  }
  await flush('command');
  await flush('archive');
  return { guildId, createdAt: summary.header.createdAt, dryRun, overwrite, ...counts };
}

/** The instant a command last changed: an edit or a use. */
const lastChange = (doc: Document): number =>
  Math.max(timeOf(doc.updatedAt), timeOf(doc.lastUsedAt), timeOf(doc.createdAt));
const timeOf = (value: unknown): number => (value instanceof Date ? value.getTime() : 0);

async function restoreCommands(
  commands: Collection<Document>,
  guildId: string,
  docs: Document[],
  options: { dryRun: boolean; overwrite: boolean },
  counts: RestoreCounts,
): Promise<void> {
  if (docs.length === 0) return;
  const present = new Map<string, Document>();
  const names = docs.map((doc) => doc.name as string);
  for await (const doc of commands.find({ guildId, name: { $in: names } }))
    present.set(doc.name as string, doc);
  const missing: Document[] = [];
  for (const doc of docs) {
    const current = present.get(doc.name as string);
    if (!current) missing.push(doc);
    else if (lastChange(current) <= lastChange(doc)) counts.commands.alreadyPresent += 1;
    else if (!options.overwrite) counts.commands.keptNewer += 1;
    else {
      if (!options.dryRun) await replaceCommand(commands, current, doc);
      counts.commands.overwritten += 1;
    }
  }
  const inserted = options.dryRun ? missing.length : await insertMissing(commands, missing);
  counts.commands.restored += inserted;
  counts.commands.alreadyPresent += missing.length - inserted;
}

/** The backup's version in place of the database's, under the backup's id. */
async function replaceCommand(commands: Collection<Document>, current: Document, doc: Document) {
  const currentId = current._id as ObjectId;
  if (String(currentId) === String(doc._id)) {
    await commands.replaceOne({ _id: currentId }, doc);
    return;
  }
  // Deleted and created again since: the name is unique, so the newer one goes first.
  await commands.deleteOne({ _id: currentId });
  await insertMissing(commands, [doc]);
}

async function restoreArchive(
  archive: Collection<ArchiveDoc>,
  docs: Document[],
  dryRun: boolean,
  counts: RestoreCounts,
): Promise<void> {
  if (docs.length === 0) return;
  const present = new Set<unknown>();
  for await (const doc of archive.find(
    { _id: { $in: docs.map((d) => d._id as string) } },
    { projection: { _id: 1 } },
  ))
    present.add(doc._id);
  const missing = docs.filter((doc) => !present.has(doc._id));
  const inserted = dryRun ? missing.length : await insertMissing(archive, missing);
  counts.archive.restored += inserted;
  counts.archive.alreadyPresent += docs.length - inserted;
}

/** Inserts each document; one written meanwhile (a duplicate key) counts as present. Returns how many went in. */
async function insertMissing<T extends Document>(
  collection: Collection<T>,
  docs: Document[],
): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false }))
      .insertedCount;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (!errors.every((e) => isDuplicateKeyError(e))) throw error;
    return docs.length - errors.length;
  }
}
