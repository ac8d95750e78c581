/**
 * `npm run stack -- up | status | down` as a user runs it, on free ports and a
 * temporary data directory: the Web UI answers, `temporal workflow list` and a
 * mongodb ping succeed, FerretDB's data lands in the stack's PostgreSQL cluster, and
 * `down` leaves none of our processes running (PostgreSQL's children included).
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { postgresBinDir } from '../../src/local/postgres';
import { childPids, freePort, pidAlive } from '../../src/local/processes';
import { toolPaths } from '../../src/local/tools';
import { projectRoot } from '../../src/local/paths';

const run = promisify(execFile);
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

let dataDir: string;
let env: NodeJS.ProcessEnv;
const stack = (command: string) =>
  run(tsx, [path.join(projectRoot, 'src/local/stack-cli.ts'), command], { env, timeout: 120_000 });

afterAll(async () => {
  if (env) await stack('down').catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack runner', () => {
  it('starts Temporal (with Web UI), PostgreSQL and FerretDB, reports them, and stops exactly them', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'stack-test-'));
    // mkdtemp makes it private to us; as root, PostgreSQL runs as `postgres` and must pass through it.
    await chmod(dataDir, 0o755);
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const [temporalPort, uiPort, mongoPort, postgresPort] = ports;
    env = {
      ...process.env,
      LOCAL_DATA_DIR: dataDir,
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      MONGODB_PORT: String(mongoPort),
      POSTGRES_PORT: String(postgresPort),
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
    };

    const up = await stack('up');
    expect(up.stdout).toContain(`127.0.0.1:${temporalPort}`);
    expect(up.stdout).toContain('Started: temporal, postgres, ferretdb');
    const state = JSON.parse(await readFile(path.join(dataDir, 'stack.json'), 'utf8')) as Record<
      string,
      { pid: number; address: string }
    >;
    expect(state.postgres!.address).toBe(`postgres://postgres@127.0.0.1:${postgresPort}/ferretdb`);
    const cluster = path.join(dataDir, 'postgres');
    expect(existsSync(path.join(cluster, 'PG_VERSION'))).toBe(true);
    if (process.getuid?.() === 0) expect((await stat(cluster)).uid).not.toBe(0);
    // The postmaster's own processes (checkpointer, writers...) must go with it too.
    const postgresChildren = childPids(state.postgres!.pid);
    expect(postgresChildren.length).toBeGreaterThan(0);
    const pids = [...Object.values(state).map((s) => s.pid), ...postgresChildren];
    expect(pids.every(pidAlive)).toBe(true);

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    await run(toolPaths.temporalCli, ['workflow', 'list', '--address', `127.0.0.1:${temporalPort}`]);
    const mongo = new MongoClient(`mongodb://127.0.0.1:${mongoPort}/`, { serverSelectionTimeoutMS: 5000 });
    try {
      expect(await mongo.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
      // FerretDB keeps each MongoDB database as a schema of PostgreSQL's `ferretdb` database.
      await mongo.db('stack_test').collection('things').insertOne({ kept: true });
      const { stdout: schemas } = await run(path.join(await postgresBinDir(), 'psql'), [
        ...['-X', '-tA', '-h', '127.0.0.1', '-p', String(postgresPort), '-U', 'postgres', '-d', 'ferretdb'],
        ...['-c', "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'stack_test'"],
      ]);
      expect(schemas.trim()).toBe('stack_test');
    } finally {
      await mongo.close();
    }

    // A second `up` starts nothing new; `status` names both.
    expect((await stack('up')).stdout).toContain('Already running.');
    const status = (await stack('status')).stdout;
    expect(status).toMatch(/temporal\s+running/);
    expect(status).toMatch(/ferretdb\s+running/);
    expect(status).toMatch(/postgres\s+running/);

    const down = await stack('down');
    expect(down.stdout).toContain('Stopped: temporal, ferretdb, postgres');
    expect(pids.filter(pidAlive)).toEqual([]);
    // A clean shutdown (pg_ctl stop -m fast) removes the pid file.
    expect(existsSync(path.join(cluster, 'postmaster.pid'))).toBe(false);
    expect((await stack('status')).stdout).toMatch(/temporal\s+not running/);
    expect((await stack('status')).stdout).toMatch(/postgres\s+not running/);
  });

  it('refuses a port already taken, naming the variable to change, and starts nothing', async () => {
    const blocker = net.createServer();
    const taken = await freePort();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'stack-test-'));
    try {
      const failed = await run(tsx, [path.join(projectRoot, 'src/local/stack-cli.ts'), 'up'], {
        env: {
          ...process.env,
          LOCAL_DATA_DIR: otherDir,
          TEMPORAL_PORT: String(await freePort()),
          TEMPORAL_UI_PORT: String(await freePort()),
          MONGODB_PORT: String(taken),
          TEMPORAL_ADDRESS: '',
          MONGODB_URI: '',
        },
      }).then(
        () => undefined,
        (error: { stderr: string; code: number }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain(`Port ${taken} for FerretDB is already in use`);
      expect(failed?.stderr).toContain('MONGODB_PORT');
      await expect(readFile(path.join(otherDir, 'stack.json'), 'utf8')).rejects.toThrow();
    } finally {
      blocker.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
