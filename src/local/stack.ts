/**
 * The local stack for development and the demo: the Temporal dev server (Web UI,
 * persistent SQLite) and FerretDB, started in the background and remembered by pid
 * in .data/stack.json so `down` stops exactly what `up` started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from './paths';
import { assertPortFree, pidAlive } from './processes';
import { startFerretDb, startTemporalDevServer } from './servers';
import { ensureTools, toolPaths } from './tools';

export interface StackSettings {
  temporalPort: number;
  temporalUiPort: number;
  mongoPort: number;
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
}

export interface StackState {
  temporal?: RunningServer;
  ferretdb?: RunningServer;
}

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
  if (state.temporal && !isOurs(state.temporal)) delete state.temporal;
  if (state.ferretdb && !isOurs(state.ferretdb)) delete state.ferretdb;
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
  const needMongo = !settings.mongodbUri && !state.ferretdb;
  if (needTemporal) {
    await assertPortFree(settings.temporalPort, 'the Temporal dev server (gRPC)', 'TEMPORAL_PORT');
    await assertPortFree(settings.temporalUiPort, 'the Temporal Web UI', 'TEMPORAL_UI_PORT');
  }
  if (needMongo) await assertPortFree(settings.mongoPort, 'FerretDB', 'MONGODB_PORT');
  await ensureTools(
    [...(needTemporal ? (['temporal'] as const) : []), ...(needMongo ? (['ferretdb'] as const) : [])],
    log,
  );

  // allSettled: when one server fails, the other is still recorded so `down` can stop it.
  const [temporalResult, mongoResult] = await Promise.allSettled([
    needTemporal
      ? startTemporalDevServer({
          port: settings.temporalPort,
          uiPort: settings.temporalUiPort,
          dbFile: path.join(dataDir, 'temporal.sqlite'),
          logFile: path.join(logsDir, 'temporal.log'),
          detached: true,
        })
      : undefined,
    needMongo
      ? startFerretDb({
          port: settings.mongoPort,
          dataDir: path.join(dataDir, 'ferretdb'),
          logFile: path.join(logsDir, 'ferretdb.log'),
          detached: true,
        })
      : undefined,
  ]);
  const temporal = temporalResult.status === 'fulfilled' ? temporalResult.value : undefined;
  const mongo = mongoResult.status === 'fulfilled' ? mongoResult.value : undefined;
  if (temporal) {
    state.temporal = {
      pid: temporal.process.pid,
      executable: toolPaths.temporalCli,
      address: temporal.address,
      webUi: `http://127.0.0.1:${settings.temporalUiPort}`,
    };
    started.push('temporal');
  }
  if (mongo) {
    state.ferretdb = { pid: mongo.process.pid, executable: toolPaths.ferretdb, address: mongo.address };
    started.push('ferretdb');
  }
  await writeFile(stateFile, JSON.stringify(state, null, 2));
  for (const result of [temporalResult, mongoResult]) {
    if (result.status === 'rejected') throw result.reason;
  }

  return {
    temporalAddress: settings.temporalAddress ?? state.temporal!.address,
    webUi: settings.temporalAddress ? undefined : state.temporal?.webUi,
    mongodbUri: settings.mongodbUri ?? state.ferretdb!.address,
    started,
  };
}

/** Stops the servers `up` started, by their recorded pids; returns what was stopped. */
export async function stackDown(): Promise<string[]> {
  const state = await readStackState();
  const stopped: string[] = [];
  for (const [name, server] of Object.entries(state) as [string, RunningServer][]) {
    await stopPid(server.pid);
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
