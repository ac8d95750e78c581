/**
 * The local servers, each started on 127.0.0.1 from the tools built by tools.ts:
 * the Temporal dev server (with Web UI), FerretDB (on PostgreSQL, see postgres.ts),
 * and the Java time-skipping test server.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { searchAttributeFlags } from '../search-attributes';
import { startPostgres, type PostgresServer } from './postgres';
import {
  freePort,
  isPortOpen,
  LOCALHOST,
  startProcess,
  waitUntilReady,
  type ServerProcess,
} from './processes';
import { toolPaths } from './tools';

const run = promisify(execFile);

export interface StartedServer {
  process: ServerProcess;
  /** host:port for gRPC clients, or a mongodb:// URI. */
  address: string;
}

export interface DevServerOptions {
  port: number;
  /** Web UI port; no UI when absent (tests). */
  uiPort?: number;
  /** SQLite file for persistence; in memory when absent. */
  dbFile?: string;
  logFile?: string;
  detached?: boolean;
}

/**
 * The Go servers' garbage collector runs when the heap has grown by GOGC percent: Go's
 * default of 100 spends about a tenth of the Temporal server's and FerretDB's CPU on
 * marking during a cleanup run (perf, 10,000 creators). Four times as much headroom
 * (a few hundred MiB more, on a machine of 24 GiB) marks a quarter as often. An
 * operator's own GOGC wins.
 */
export const GO_SERVER_GOGC = '400';

function goServerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOGC: process.env.GOGC ?? GO_SERVER_GOGC };
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<StartedServer> {
  const address = `${LOCALHOST}:${options.port}`;
  if (options.dbFile) await mkdir(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    LOCALHOST,
    '--port',
    String(options.port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...searchAttributeFlags(),
    // The dev server otherwise calls home to check for new versions: no internet here.
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    ...(options.uiPort ? ['--ui-ip', LOCALHOST, '--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
  ];
  const server = startProcess({
    name: 'Temporal dev server',
    command: toolPaths.temporalCli,
    args,
    env: goServerEnv(),
    logFile: options.logFile,
    detached: options.detached,
  });
  const uiPort = options.uiPort;
  const ready = async () => (await temporalHealthy(address)) && (!uiPort || (await isPortOpen(uiPort)));
  await waitUntilReady(server, ready, { timeoutMs: 60_000, logFile: options.logFile });
  return { process: server, address };
}

/** `temporal operator cluster health`: true once the frontend serves requests. */
export async function temporalHealthy(address: string): Promise<boolean> {
  try {
    const { stdout } = await run(
      toolPaths.temporalCli,
      ['operator', 'cluster', 'health', '--address', address],
      {
        timeout: 5000,
      },
    );
    return stdout.includes('SERVING');
  } catch {
    return false;
  }
}

export type FerretDbBackend = 'postgresql' | 'sqlite';

export interface FerretDbOptions {
  port: number;
  /** 'postgresql' (the default) or 'sqlite' (kept for comparison: it scans on every update). */
  backend?: FerretDbBackend;
  /**
   * The PostgreSQL to use (the stack's own). Without it a throwaway cluster is
   * started on a free port for this FerretDB alone, and stopped and deleted with it.
   */
  postgresUrl?: string;
  /** The SQLite backend's directory; unused on PostgreSQL. */
  dataDir?: string;
  logFile?: string;
  detached?: boolean;
}

/**
 * FerretDB 1.24 holds one PostgreSQL connection while an update or delete scans, and takes
 * a second from the same pool to write: with its default pool of 50, fifty such operations
 * at once (grace deadlines of hundreds of creators falling together, several workers of
 * 100 activities each) each hold one and wait for another forever, and every client of
 * that FerretDB hangs. Measured in the fault suite: 50 idle connections, FerretDB answering
 * nothing. A pool larger than the operations the local processes can have in flight
 * (the driver's pool of 100 per process) keeps that from happening.
 */
export const FERRETDB_POOL_CONNECTIONS = 400;

function withPoolSize(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('pool_max_conns')) {
    parsed.searchParams.set('pool_max_conns', String(FERRETDB_POOL_CONNECTIONS));
  }
  return parsed.toString();
}

export async function startFerretDb(options: FerretDbOptions): Promise<StartedServer> {
  const backendArgs: string[] = [];
  let postgres: PostgresServer | undefined;
  let clusterRoot: string | undefined;
  if (options.backend === 'sqlite') {
    if (!options.dataDir) throw new Error('FerretDB on SQLite needs a dataDir');
    await mkdir(options.dataDir, { recursive: true });
    backendArgs.push('--handler', 'sqlite', '--data-dir', options.dataDir);
  } else {
    let url = options.postgresUrl;
    if (!url) {
      // Its own directory under the system's temporary one, not the caller's scratch
      // directory: that one is usually private to us, and the cluster may run as `postgres`.
      clusterRoot = await mkdtemp(path.join(os.tmpdir(), 'ferretdb-pg-'));
      const started = await startPostgres({
        dataDir: clusterRoot,
        port: await freePort(),
        logFile: options.logFile && path.join(path.dirname(options.logFile), 'postgres.log'),
        throwaway: true,
      }).catch(async (error: unknown) => {
        await rm(clusterRoot!, { recursive: true, force: true });
        throw error;
      });
      postgres = started;
      url = started.url;
    }
    backendArgs.push('--handler', 'postgresql', '--postgresql-url', withPoolSize(url));
  }

  const server = startProcess({
    name: 'FerretDB',
    command: toolPaths.ferretdb,
    args: [
      '--listen-addr',
      `${LOCALHOST}:${options.port}`,
      ...backendArgs,
      '--log-level',
      'error',
      // Go's profiler, to see where the database's CPU goes (README, Benchmark).
      ...(process.env.FERRETDB_PPROF_ADDR ? ['--pprof-addr', process.env.FERRETDB_PPROF_ADDR] : []),
    ],
    env: goServerEnv(),
    logFile: options.logFile,
    detached: options.detached,
  });
  // Stopped after FerretDB, so FerretDB never sees its database vanish under it.
  if (postgres) server.attach(postgres);
  if (clusterRoot) {
    const dir = clusterRoot;
    server.attach({
      stop: () => rm(dir, { recursive: true, force: true }),
      killNow: () => rmSync(dir, { recursive: true, force: true }),
    });
  }
  await waitUntilReady(server, () => isPortOpen(options.port), {
    timeoutMs: 30_000,
    logFile: options.logFile,
  });
  return { process: server, address: `mongodb://${LOCALHOST}:${options.port}/` };
}

export interface TestServerOptions {
  port: number;
  logFile?: string;
}

/**
 * Temporal's Java test server (no Schedules: those are tested on the dev server).
 * Started without `--enable-time-skipping`, as the SDK itself starts it: the flag
 * makes the server skip time on its own whenever it is idle, even while a workflow
 * task is in flight, so tasks time out after 10 skipped seconds. Without it, time
 * stays locked and the SDK's time-skipping client unlocks it only while it awaits
 * a result or sleeps (`env.sleep`), which is what tests want.
 */
export async function startTimeSkippingTestServer(options: TestServerOptions): Promise<StartedServer> {
  const server = startProcess({
    name: 'Temporal time-skipping test server',
    command: 'java',
    args: [
      '-cp',
      path.join(toolPaths.testServerDir, 'lib', '*'),
      'io.temporal.testserver.TestServer',
      String(options.port),
    ],
    logFile: options.logFile,
  });
  await waitUntilReady(server, () => isPortOpen(options.port), {
    timeoutMs: 60_000,
    logFile: options.logFile,
  });
  return { process: server, address: `${LOCALHOST}:${options.port}` };
}
