/**
 * PostgreSQL for FerretDB's `postgresql` backend (its SQLite backend scans the whole
 * collection on every update by _id). Debian's server binaries (see postgres-env.ts)
 * run a cluster of our own: bound to 127.0.0.1 only, trust auth, no Unix socket,
 * started in the foreground so its pid is the postmaster's, stopped with
 * `pg_ctl stop -m fast`.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EQUALITY_INDEXES_SQL } from './postgres-equality-indexes';
import { toolsDir } from './paths';
import { postgresBinDir, identity, prepareDir, runBin, SUPERUSER, type Identity } from './postgres-env';
import {
  childPids,
  freePort,
  LOCALHOST,
  pidAlive,
  spawnChild,
  waitUntilReady,
  ServerProcess,
} from './processes';

const run = promisify(execFile);

export { postgresBinDir, POSTGRES_INSTALL } from './postgres-env';

/** The database FerretDB keeps its MongoDB databases in (one PostgreSQL schema each). */
export const FERRETDB_DATABASE = 'ferretdb';

/** `postgres://postgres@127.0.0.1:PORT/ferretdb`, the form FerretDB's handler takes. */
export const postgresUrl = (port: number) =>
  `postgres://${SUPERUSER}@${LOCALHOST}:${port}/${FERRETDB_DATABASE}`;

export interface PostgresOptions {
  /** The cluster directory (PGDATA): initialised when empty, reused otherwise. */
  dataDir: string;
  port: number;
  logFile?: string;
  detached?: boolean;
  /**
   * A cluster deleted after this run (the tests, the benchmark): durability traded
   * for speed, see `THROWAWAY_SETTINGS`.
   */
  throwaway?: boolean;
  /** A throwaway cluster starts from a copy of the template unless this is false (building the template). */
  fromTemplate?: boolean;
}

/**
 * For a cluster that is deleted at the end of its run: a crash loses it anyway, so
 * flushing to disk buys nothing. FerretDB commits every write on its own, and each
 * commit would otherwise wait for an fsync. 32 MB of shared buffers hold the tests'
 * data many times over and keep each run's footprint small on a shared machine.
 */
const THROWAWAY_SETTINGS = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'shared_buffers=32MB',
];

/** Above FerretDB's pool of connections to it (servers.ts), with room for psql and the setup. */
export const POSTGRES_MAX_CONNECTIONS = 500;

/** A running PostgreSQL we started; `stop()` shuts it down fast and waits for every process of it. */
export class PostgresServer extends ServerProcess {
  constructor(
    child: ChildProcess,
    readonly dataDir: string,
    /** FerretDB's connection string to this server. */
    readonly url: string,
  ) {
    super('PostgreSQL', child);
  }

  override async stop(): Promise<void> {
    await stopPostgres(this.dataDir, this.pid);
  }

  /** Immediate shutdown (SIGQUIT): the postmaster still takes its children down, unlike SIGKILL. */
  override killNow(): void {
    if (this.running) this.child.kill('SIGQUIT');
  }
}

export async function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
  const bin = await postgresBinDir();
  const who = await identity();
  await prepareDir(options.dataDir, who);
  const fresh = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const copied =
    fresh && options.throwaway && options.fromTemplate !== false && (await copyTemplate(options.dataDir));
  if (fresh && !copied) {
    await runBin(
      'initdb',
      [
        ...['-D', options.dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C'],
        // A throwaway cluster skips initdb's final flush to disk (about half its time).
        ...(options.throwaway ? ['--no-sync'] : []),
      ],
      who,
    );
  }
  const settings = [
    `listen_addresses=${LOCALHOST}`,
    // No Unix socket: Debian's default directory /var/run/postgresql may not be ours to write.
    'unix_socket_directories=',
    // Room for FerretDB's pool (FERRETDB_POOL_CONNECTIONS in servers.ts) and a few sessions more.
    `max_connections=${POSTGRES_MAX_CONNECTIONS}`,
    ...(options.throwaway ? THROWAWAY_SETTINGS : []),
  ];
  const child = spawnChild({
    name: 'PostgreSQL',
    command: path.join(bin, 'postgres'),
    args: ['-D', options.dataDir, '-p', String(options.port), ...settings.flatMap((s) => ['-c', s])],
    logFile: options.logFile,
    detached: options.detached,
    cwd: options.dataDir,
    ...who,
  });
  const server = new PostgresServer(child, options.dataDir, postgresUrl(options.port));

  const ready = () =>
    runBin(
      'pg_isready',
      ['-q', '-h', LOCALHOST, '-p', String(options.port), '-U', SUPERUSER],
      who,
      5000,
    ).then(
      () => true,
      () => false,
    );
  try {
    await waitUntilReady(server, ready, { timeoutMs: 60_000, intervalMs: 100, logFile: options.logFile });
    await ensureDatabase(options.port, who);
  } catch (error) {
    await server.stop();
    // PostgreSQL says why it stopped (a port taken, a directory of another owner) in its log.
    const log = options.logFile ? await readFile(options.logFile, 'utf8').catch(() => '') : '';
    const tail = log.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${(error as Error).message}${tail ? `\n${tail}` : ''}`, { cause: error });
  }
  return server;
}

/**
 * Creates FerretDB's database when missing (checked on every start: initdb may have been
 * interrupted), with the indexes its equality lookups need (postgres-equality-indexes.ts).
 */
async function ensureDatabase(port: number, who: Identity): Promise<void> {
  const connect = ['-X', '-q', '-h', LOCALHOST, '-p', String(port), '-U', SUPERUSER, '-d', 'postgres'];
  const { stdout } = await runBin(
    'psql',
    [...connect, '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${FERRETDB_DATABASE}'`],
    who,
  );
  if (stdout.trim() !== '1') {
    await runBin('psql', [...connect, '-c', `CREATE DATABASE ${FERRETDB_DATABASE}`], who);
  }
  const inFerretDb = [...connect.slice(0, -1), FERRETDB_DATABASE];
  await runBin('psql', [...inFerretDb, '-v', 'ON_ERROR_STOP=1', '-c', EQUALITY_INDEXES_SQL], who);
}

/**
 * `pg_ctl stop -m fast` (sessions are ended, a checkpoint is written), then checks
 * that the postmaster and every process it had are gone; signals are the fallback
 * when pg_ctl cannot do it (a pid file removed by hand).
 */
export async function stopPostgres(dataDir: string, pid: number): Promise<void> {
  if (!pidAlive(pid)) return;
  const processes = [pid, ...childPids(pid)];
  const who = await identity();
  await runBin('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], who, 40_000).catch(
    () => undefined,
  );
  if (await allGone(processes, 5000)) return;
  // What pg_ctl would have sent (fast shutdown), then immediate shutdown: the postmaster
  // takes its children down itself; only what is still left after that gets SIGKILL.
  for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
    sendSignal(pid, signal);
    if (await allGone(processes, 10_000)) return;
  }
  for (const left of processes) sendSignal(left, 'SIGKILL');
  if (!(await allGone(processes, 5000))) {
    throw new Error(
      `PostgreSQL processes still running after stop: ${processes.filter(pidAlive).join(', ')}`,
    );
  }
}

async function allGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(pidAlive)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Throwaway clusters start from a copy of a pristine one kept in .tools/ (FerretDB's
 * database included): `cp -a` takes about 0.1 s, where initdb and creating the
 * database cost about a second of CPU at every test run. One template per server
 * directory (so per major version); built once in a temporary directory the
 * server's user can reach, then copied beside its final place and renamed into it,
 * so concurrent runs never see half a template. `cp -a` keeps the files' owner.
 * False when no template could be had: the caller runs initdb instead.
 */
async function copyTemplate(dataDir: string): Promise<boolean> {
  try {
    const key = (await postgresBinDir()).replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');
    const template = path.join(toolsDir, 'postgres-template', key);
    if (!existsSync(path.join(template, 'PG_VERSION'))) await buildTemplate(template);
    await run('cp', ['-a', `${template}/.`, dataDir]);
    return true;
  } catch {
    return false;
  }
}

async function buildTemplate(template: string): Promise<void> {
  const build = await mkdtemp(path.join(os.tmpdir(), 'postgres-template-'));
  const staging = `${template}.${process.pid}`;
  try {
    const server = await startPostgres({
      dataDir: build,
      port: await freePort(),
      throwaway: true,
      fromTemplate: false,
    });
    await server.stop(); // a clean shutdown: the copy needs no recovery
    await mkdir(path.dirname(template), { recursive: true });
    await run('cp', ['-a', build, staging]);
    // Another run may have finished first: then its template stands and ours goes.
    await rename(staging, template).catch(() => undefined);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(build, { recursive: true, force: true });
  }
}

/** A signal to a process that may have exited meanwhile. */
function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
