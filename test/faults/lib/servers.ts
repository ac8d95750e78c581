/**
 * The fault suite's servers, each one restartable in place: a fault scenario kills or
 * stops a server and starts it again on the same port and the same data, so that the
 * worker processes, which keep their addresses, find it again.
 *
 * - Temporal: the dev server persisted to a SQLite file (a restart must find every
 *   running grace workflow and timer in it).
 * - Database: FerretDB on a PostgreSQL cluster of our own (not the throwaway cluster
 *   `startFerretDb` attaches and deletes with FerretDB: here the cluster must outlive
 *   a stop of FerretDB and of PostgreSQL itself).
 *
 * Every log goes to a file in the suite's log directory, where the token check reads it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type PostgresServer } from '../../../src/local/postgres';
import { freePort } from '../../../src/local/processes';
import { startFerretDb, startTemporalDevServer, type StartedServer } from '../../../src/local/servers';
import type { Cleanup } from './cleanup';

export class RestartableTemporal {
  private server: StartedServer | undefined;
  /** Stays the same across restarts. */
  readonly address: string;

  private constructor(
    readonly name: string,
    private readonly port: number,
    private readonly dbFile: string,
    private readonly logFile: string,
  ) {
    this.address = `127.0.0.1:${port}`;
  }

  static async start(name: string, scratch: string, logDir: string, cleanup: Cleanup) {
    const temporal = new RestartableTemporal(
      name,
      await freePort(),
      path.join(scratch, `${name}.sqlite`),
      path.join(logDir, `${name}.log`),
    );
    cleanup.add(
      name,
      () => temporal.stop(),
      () => temporal.server?.process.killNow(),
    );
    await temporal.start();
    return temporal;
  }

  async start(): Promise<void> {
    this.server = await startTemporalDevServer({
      port: this.port,
      dbFile: this.dbFile,
      logFile: this.logFile,
    });
  }

  /** SIGKILL: no clean shutdown, as a crash or an OOM kill would do. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server?.process.running) return;
    const exited = new Promise((resolve) => server.process.child.once('exit', resolve));
    server.process.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.server?.process.stop();
  }
}

export class RestartableDatabase {
  private postgres: PostgresServer | undefined;
  private ferret: StartedServer | undefined;
  /** mongodb:// URI, the same across restarts. */
  readonly uri: string;

  private constructor(
    readonly name: string,
    private readonly dataDir: string,
    private readonly pgPort: number,
    private readonly ferretPort: number,
    private readonly logDir: string,
  ) {
    this.uri = `mongodb://127.0.0.1:${ferretPort}/`;
  }

  static async start(name: string, logDir: string, cleanup: Cleanup) {
    // Under the system's temporary directory: the cluster runs as `postgres` when we are root,
    // and the suite's own scratch directory may be closed to that user.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `faults-${name}-pg-`));
    const database = new RestartableDatabase(name, dataDir, await freePort(), await freePort(), logDir);
    cleanup.add(
      name,
      async () => {
        await database.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
      () => {
        database.ferret?.process.killNow();
        database.postgres?.killNow();
        rmSync(dataDir, { recursive: true, force: true });
      },
    );
    await database.start();
    return database;
  }

  /** PostgreSQL on the cluster directory (created from the template the first time), then FerretDB on it. */
  async start(): Promise<void> {
    this.postgres = await startPostgres({
      dataDir: this.dataDir,
      port: this.pgPort,
      logFile: path.join(this.logDir, `${this.name}-postgres.log`),
      throwaway: true,
    });
    this.ferret = await startFerretDb({
      port: this.ferretPort,
      postgresUrl: this.postgres.url,
      logFile: path.join(this.logDir, `${this.name}-ferretdb.log`),
    });
  }

  /** FerretDB first (it never sees its storage vanish under a request), then PostgreSQL (fast shutdown). */
  async stop(): Promise<void> {
    await this.ferret?.process.stop();
    await this.postgres?.stop();
  }
}
