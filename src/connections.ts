/** Connections to Temporal and MongoDB from the validated configuration. */
import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Db } from 'mongodb';
import type { Config } from './config';

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}

export async function connectMongo(config: Config): Promise<{ mongo: MongoClient; db: Db }> {
  const mongo = new MongoClient(config.mongodb.uri, {
    serverSelectionTimeoutMS: 15_000,
    appName: 'bot-tasks',
  });
  await mongo.connect();
  return { mongo, db: mongo.db(config.mongodb.database) };
}
