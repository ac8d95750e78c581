/**
 * The local stack for development and the demo: the Temporal dev server (Web UI,
 * persistent SQLite) and FerretDB on a PostgreSQL cluster in .data/postgres, started
 * in the background and remembered by pid in .data/stack.json so `down` stops
 * exactly what `up` started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from './paths';
import { startPostgres, stopPostgres } from './postgres';
import { assertPortFree, freePort, pidAlive } from './processes';
import { startFerretDb, startTemporalDevServer } from './servers';
import { ensureTools, toolPaths } from './tools';

export interface StackSettings {
  temporalPort: number;
  temporalUiPort: number;
  mongoPort: number;
  /** FerretDB's PostgreSQL; a free port when absent. */
  postgresPort?: number;
  /** Set by the user: use that Temporal, start none. */
  temporalAddress?: string;
  /** Set by the user: use that MongoDB, start none. */
  mongodbUri?: string;
}

export function stackSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StackSettings {
  return {
    temporalPort: portFromEnv(env, 'TEMPORAL_PORT', 7233),
    temporalUiPort: portFromEnv(env, 'TEMPORAL_UI_PORT', 8233),
    mongoPort: portFromEnv(env, 'MONGODB_PORT', 27017),
    postgresPort: env.POSTGRES_PORT ? portFromEnv(env, 'POSTGRES_PORT', 0) : undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    mongodbUri: env.MONGODB_URI || undefined,
  };
}

function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got '${raw}'`);
  }
  return port;
}

interface RunningServer {
  pid: number;
  /** The executable, checked before a signal so a reused pid is never killed. */
  executable: string;
  address: string;
  webUi?: string;
  /** PostgreSQL's cluster directory, which `pg_ctl stop` needs. */
  dataDir?: string;
}

export interface StackState {
  temporal?: RunningServer;
  postgres?: RunningServer;
  ferretdb?: RunningServer;
}

const START_ORDER = ['temporal', 'postgres', 'ferretdb'];
/** The order `down` stops them in: FerretDB before the PostgreSQL it writes to. */
const STOP_ORDER = ['temporal', 'ferretdb', 'postgres'] as const;

export interface StackAddresses {
  temporalAddress: string;
  webUi?: string;
  mongodbUri: string;
  /** What this call started (empty when everything was already up or external). */
  started: string[];
}

const stateFile = path.join(dataDir, 'stack.json');
const logsDir = path.join(dataDir, 'logs');

export async function readStackState(): Promise<StackState> {
  if (!existsSync(stateFile)) return {};
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as StackState;
  // Forget servers that died on their own since.
  for (const name of STOP_ORDER) if (state[name] && !isOurs(state[name])) delete state[name];
  return state;
}

function isOurs(server: RunningServer): boolean {
  if (!pidAlive(server.pid)) return false;
  try {
    return readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')[0] === server.executable;
  } catch {
    return false;
  }
}

/** Starts what is not running yet (and not provided by the user); returns the addresses to use. */
export async function stackUp(
  settings: StackSettings,
  log: (line: string) => void = console.error,
): Promise<StackAddresses> {
  const state = await readStackState();
  const started: string[] = [];
  await mkdir(logsDir, { recursive: true });

  const needTemporal = !settings.temporalAddress && !state.temporal;
  const needPostgres = !settings.mongodbUri && !state.postgres;
  // A FerretDB left without its PostgreSQL is restarted with the new one (its port may differ).
  if (needPostgres && state.ferretdb) {
    await stopPid(state.ferretdb.pid);
    delete state.ferretdb;
  }
  const needMongo = !settings.mongodbUri && !state.ferretdb;
  if (needTemporal) {
    await assertPortFree(settings.temporalPort, 'the Temporal dev server (gRPC)', 'TEMPORAL_PORT');
    await assertPortFree(settings.temporalUiPort, 'the Temporal Web UI', 'TEMPORAL_UI_PORT');
  }
  if (needMongo) await assertPortFree(settings.mongoPort, 'FerretDB', 'MONGODB_PORT');
  if (needPostgres && settings.postgresPort)
    await assertPortFree(settings.postgresPort, "FerretDB's PostgreSQL", 'POSTGRES_PORT');
  await ensureTools(
    [...(needTemporal ? (['temporal'] as const) : []), ...(needMongo ? (['ferretdb'] as const) : [])],
    log,
  );

  const startTemporal = async () => {
    const temporal = await startTemporalDevServer({
      port: settings.temporalPort,
      uiPort: settings.temporalUiPort,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      logFile: path.join(logsDir, 'temporal.log'),
      detached: true,
    });
    state.temporal = {
      pid: temporal.process.pid,
      executable: toolPaths.temporalCli,
      address: temporal.address,
      webUi: `http://127.0.0.1:${settings.temporalUiPort}`,
    };
    started.push('temporal');
  };
  const startMongo = async () => {
    if (needPostgres) {
      const postgres = await startPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        port: settings.postgresPort ?? (await freePort()),
        logFile: path.join(logsDir, 'postgres.log'),
        detached: true,
      });
      const executable = postgres.child.spawnfile;
      state.postgres = { pid: postgres.pid, executable, address: postgres.url, dataDir: postgres.dataDir };
      started.push('postgres');
    }
    if (needMongo) {
      const mongo = await startFerretDb({
        port: settings.mongoPort,
        postgresUrl: state.postgres!.address,
        logFile: path.join(logsDir, 'ferretdb.log'),
        detached: true,
      });
      state.ferretdb = { pid: mongo.process.pid, executable: toolPaths.ferretdb, address: mongo.address };
      started.push('ferretdb');
    }
  };
  // allSettled: when one server fails, the others are still recorded so `down` can stop them.
  const results = await Promise.allSettled([
    needTemporal ? startTemporal() : undefined,
    needPostgres || needMongo ? startMongo() : undefined,
  ]);
  await writeFile(stateFile, JSON.stringify(state, null, 2));
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
  }

  return {
    temporalAddress: settings.temporalAddress ?? state.temporal!.address,
    webUi: settings.temporalAddress ? undefined : state.temporal?.webUi,
    mongodbUri: settings.mongodbUri ?? state.ferretdb!.address,
    // In start order (the two chains above run side by side).
    started: START_ORDER.filter((name) => started.includes(name)),
  };
}

/** Stops the servers `up` started, by their recorded pids; returns what was stopped. */
export async function stackDown(): Promise<string[]> {
  const state = await readStackState();
  const stopped: string[] = [];
  for (const name of STOP_ORDER) {
    const server = state[name];
    if (!server) continue;
    // PostgreSQL: pg_ctl's fast shutdown, then a check that none of its processes is left.
    if (name === 'postgres') await stopPostgres(server.dataDir!, server.pid);
    else await stopPid(server.pid);
    stopped.push(name);
  }
  await rm(stateFile, { force: true });
  return stopped;
}

async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
}
