/** A fresh database per test file on the suite's FerretDB (or TEST_MONGODB_URI), dropped afterwards. */
import { MongoClient, type Db } from 'mongodb';
import { inject } from 'vitest';

export interface TestDatabase {
  client: MongoClient;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const client = new MongoClient(inject('mongodbUri'), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const db = client.db(name);
  return {
    client,
    db,
    drop: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
