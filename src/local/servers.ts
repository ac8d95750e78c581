/**
 * The three local servers, each started on 127.0.0.1 from the tools built by
 * tools.ts: the Temporal dev server (with Web UI), FerretDB on SQLite, and the Java
 * time-skipping test server.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { searchAttributeFlags } from '../search-attributes';
import { isPortOpen, LOCALHOST, startProcess, waitUntilReady, type ServerProcess } from './processes';
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

export interface FerretDbOptions {
  port: number;
  dataDir: string;
  logFile?: string;
  detached?: boolean;
}

export async function startFerretDb(options: FerretDbOptions): Promise<StartedServer> {
  await mkdir(options.dataDir, { recursive: true });
  const server = startProcess({
    name: 'FerretDB',
    command: toolPaths.ferretdb,
    args: [
      '--listen-addr',
      `${LOCALHOST}:${options.port}`,
      '--data-dir',
      options.dataDir,
      '--log-level',
      'error',
    ],
    logFile: options.logFile,
    detached: options.detached,
  });
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
