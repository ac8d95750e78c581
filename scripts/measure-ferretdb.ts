/**
 * What the local database costs at the product's scale, and whether concurrent
 * updates of one document lose one: `npx tsx scripts/measure-ferretdb.ts`
 * [--backend postgresql|sqlite] [--documents 30000] [--updates 100] [--in 2400]
 * [--race-rounds 300]. With MONGODB_URI set it measures that server instead (a real
 * MongoDB, for comparison). Prints numbers; nothing here asserts a time.
 *
 * The race mirrors the product: a use (`recordUse`: $set lastUsedAt, $inc useCount,
 * $unset cleanup, found by name) against the recording of a warning (`recordWarning`:
 * $set cleanup, only while lastUsedAt/updatedAt are as selected and no warning is
 * set). Serialised in either order, the use survives. Lost means the final document
 * lacks the use: FerretDB applies updates as read-modify-write, so a writer holding
 * a stale copy can put it back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import { freePort } from '../src/local/processes';
import { startFerretDb, type FerretDbBackend, type StartedServer } from '../src/local/servers';
import { ensureTools } from '../src/local/tools';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'postgresql' },
    documents: { type: 'string', default: '30000' },
    updates: { type: 'string', default: '100' },
    in: { type: 'string', default: '2400' },
    'race-rounds': { type: 'string', default: '300' },
  },
});
const backend = values.backend as FerretDbBackend;
if (backend !== 'postgresql' && backend !== 'sqlite') throw new Error('--backend: postgresql or sqlite');
const [documents, updates, inCount, raceRounds] = [
  values.documents,
  values.updates,
  values.in,
  values['race-rounds'],
].map(Number) as [number, number, number, number];

interface Doc {
  _id: ObjectId;
  guildId: string;
  name: string;
  creatorId: string;
  lastUsedAt: Date;
  updatedAt: Date;
  useCount: number;
  cleanup?: { warnedAt: Date; runKey: string };
  /** The plain race's fields. */
  state?: string;
  a?: number;
  b?: number;
}

const scratch = await mkdtemp(path.join(os.tmpdir(), 'measure-ferretdb-'));
let server: StartedServer | undefined;
let client: MongoClient | undefined;
let started = Date.now();
// On a crash or Ctrl-C too: no FerretDB or PostgreSQL left running.
process.once('exit', () => server?.process.killNow());
process.once('SIGINT', () => process.exit(130));
try {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    await ensureTools(['ferretdb']);
    started = Date.now();
    server = await startFerretDb({
      port: await freePort(),
      backend,
      dataDir: path.join(scratch, 'sqlite'),
      logFile: path.join(scratch, 'ferretdb.log'),
    });
    uri = server.address;
    console.log(`FerretDB on ${backend} ready in ${seconds(started)}`);
  }
  client = new MongoClient(uri);
  const db = client.db(`measure_${Date.now().toString(36)}`);
  const commands = db.collection<Doc>('custom_commands');
  // The product's indexes on custom_commands (one call each: FerretDB 1.24 wants it so).
  await commands.createIndex({ guildId: 1, name: 1 }, { unique: true });
  await commands.createIndex({ guildId: 1, lastUsedAt: 1 });
  await commands.createIndex({ guildId: 1, 'cleanup.warnedAt': 1 });
  await commands.createIndex({ guildId: 1, creatorId: 1, _id: 1 });
  started = Date.now();
  const ids = await seed(commands, documents);
  console.log(`inserted ${documents} documents in ${seconds(started)}`);

  started = Date.now();
  for (let i = 0; i < updates; i++) {
    await commands.updateOne({ _id: ids[(i * 7919) % ids.length] }, { $set: { lastUsedAt: new Date() } });
  }
  const updateMs = Date.now() - started;
  console.log(
    `${updates} updateOne by _id over ${documents}: ${seconds(started)} (${(updateMs / updates).toFixed(1)} ms each)`,
  );

  started = Date.now();
  const step = Math.max(1, Math.floor(ids.length / inCount));
  const some = ids.filter((_, i) => i % step === 0).slice(0, inCount);
  const many = await commands.updateMany({ _id: { $in: some } }, { $set: { updatedAt: new Date() } });
  console.log(`updateMany $in ${some.length} ids: ${seconds(started)} (${many.modifiedCount} modified)`);

  await race(db.collection<Doc>('race'), raceRounds);
  await db.dropDatabase();
} finally {
  await client?.close();
  await server?.process.stop();
  await rm(scratch, { recursive: true, force: true });
}

async function seed(commands: Collection<Doc>, count: number): Promise<ObjectId[]> {
  const ids: ObjectId[] = [];
  const old = new Date(Date.now() - 90 * 86_400_000);
  for (let from = 0; from < count; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - from) }, (_, i) => ({
      _id: new ObjectId(),
      guildId: '1100000000000000001',
      name: `cmd-${from + i}`,
      creatorId: String(1300000000000000000n + BigInt((from + i) % 5000)),
      lastUsedAt: old,
      updatedAt: old,
      useCount: 1,
    }));
    await commands.insertMany(batch);
    ids.push(...batch.map((doc) => doc._id));
  }
  return ids;
}

/** Per round: a fresh document, then the two writers at once; counts what the final document shows. */
async function race(collection: Collection<Doc>, rounds: number): Promise<void> {
  const guildId = '1100000000000000001';
  const selectedAt = new Date(Date.now() - 90 * 86_400_000);
  const tally = { lostUse: 0, staleWarning: 0, warned: 0, plainLost: 0 };
  started = Date.now();
  for (let round = 0; round < rounds; round++) {
    const _id = new ObjectId();
    const name = `race-${round}`;
    await collection.insertOne({
      _id,
      guildId,
      name,
      creatorId: '1300000000000000000',
      lastUsedAt: selectedAt,
      updatedAt: selectedAt,
      useCount: 1,
    });
    const usedAt = new Date();
    const warning: AnyBulkWriteOperation<Doc> = {
      updateOne: {
        filter: {
          _id,
          guildId,
          lastUsedAt: selectedAt,
          updatedAt: selectedAt,
          'cleanup.warnedAt': { $exists: false },
        },
        update: { $set: { cleanup: { warnedAt: new Date(), runKey: `run-${round}` } } },
      },
    };
    await Promise.all([
      collection.bulkWrite([warning], { ordered: false }),
      collection.findOneAndUpdate(
        { guildId, name },
        { $set: { lastUsedAt: usedAt }, $inc: { useCount: 1 }, $unset: { cleanup: '' } },
        { returnDocument: 'before' },
      ),
    ]);
    const after = (await collection.findOne({ _id }))!;
    if (after.useCount !== 2 || after.lastUsedAt.getTime() !== usedAt.getTime()) tally.lostUse++;
    else if (after.cleanup) tally.staleWarning++;
    if (after.cleanup) tally.warned++;

    // The plain case: two $set of different fields, both behind the same filter condition.
    await collection.updateOne({ _id }, { $set: { a: 0, b: 0, state: 'open' } });
    await Promise.all([
      collection.updateOne({ _id, state: 'open' }, { $set: { a: round + 1 } }),
      collection.updateOne({ _id, state: 'open' }, { $set: { b: round + 1 } }),
    ]);
    const plain = (await collection.findOne({ _id }))!;
    if (plain.a !== round + 1 || plain.b !== round + 1) tally.plainLost++;
  }
  console.log(`race, ${rounds} rounds in ${seconds(started)}:`);
  const lines: [string, number][] = [
    ['use lost (lastUsedAt or useCount put back)', tally.lostUse],
    ['warning kept on top of the use (filter not re-checked)', tally.staleWarning],
    ['rounds ending with a warning at all', tally.warned],
    ['two $set of different fields, one lost', tally.plainLost],
  ];
  for (const [what, count] of lines) console.log(`  ${what.padEnd(56)} ${count}`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
