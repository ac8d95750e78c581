/** Connections to Temporal and MongoDB from the validated configuration. */
import { Client, Connection, ServiceError, type TLSConfig } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
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

/** Tries at connecting to a Temporal server that answers, but not in time (see connectTemporal). */
export const TEMPORAL_CONNECT_ATTEMPTS = 3;

/**
 * The client's connection, opened by a GetSystemInfo call within `connectTimeout` (the
 * SDK's 10 s by default). A server that answers but not in time or not yet (a dev server
 * starved of CPU, a frontend restarting behind its load balancer) gets two more tries; a
 * server that cannot be reached at all, or refuses the credentials, fails at the first
 * deadline. The error names the address and the server's own reason.
 */
export async function connectTemporalClient(
  config: Config,
  options: { connectTimeout?: Duration; attempts?: number } = {},
): Promise<Client> {
  const connection = await connectTemporal(
    { ...temporalConnectionOptions(config), connectTimeout: options.connectTimeout },
    options.attempts ?? TEMPORAL_CONNECT_ATTEMPTS,
  );
  return new Client({ connection, namespace: config.temporal.namespace });
}

async function connectTemporal(
  options: TemporalConnectionOptions & { connectTimeout?: Duration },
  attempts: number,
): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    // lazy + ensureConnected rather than connect: a failed try's channel is closed, not leaked.
    const connection = Connection.lazy(options);
    try {
      await connection.ensureConnected();
      return connection;
    } catch (error) {
      await connection.close().catch(() => undefined);
      if (attempt >= attempts || !answeredTooLate(error)) {
        throw new Error(`Cannot connect to Temporal at ${options.address}: ${reasonOf(error)}`, {
          cause: error,
        });
      }
    }
  }
}

/** Codes of a server reached but busy or restarting; others (credentials, a bad namespace) will not pass on a retry. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

function grpcCodeOf(error: unknown): number | undefined {
  const cause = error instanceof ServiceError ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function answeredTooLate(error: unknown): boolean {
  const code = grpcCodeOf(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** The SDK's message, and the gRPC status under it ("4 DEADLINE_EXCEEDED: Deadline exceeded ..."). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
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
