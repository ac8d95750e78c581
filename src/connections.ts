/** Connections to Temporal and MongoDB from the validated configuration. */
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { MongoClient, type Db } from 'mongodb';
import type { Config } from './config';

/** What the client's Connection and the worker's NativeConnection both need to reach Temporal. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * The options of every connection to Temporal, the client's and the worker's alike, so
 * both speak TLS and present the same credentials. `tls` is absent for plaintext.
 */
export function temporalConnectionOptions(config: Config): TemporalConnectionOptions {
  const { address, tls, apiKey } = config.temporal;
  return {
    address,
    ...(tls && { tls }),
    ...(apiKey !== undefined && { apiKey }),
  };
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

export async function connectMongo(config: Config): Promise<{ mongo: MongoClient; db: Db }> {
  // TLS to MongoDB (tls=true, tlsCAFile, tlsCertificateKeyFile) rides in the URI, the driver's standard.
  const mongo = new MongoClient(config.mongodb.uri, {
    serverSelectionTimeoutMS: 15_000,
    appName: 'bot-tasks',
  });
  await mongo.connect();
  return { mongo, db: mongo.db(config.mongodb.database) };
}
