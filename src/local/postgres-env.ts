/**
 * Where PostgreSQL's server binaries are and whom they run as. The server, initdb
 * and pg_ctl refuse to run as root: as root they run as the `postgres` user (Node's
 * spawn uid/gid, rather than `runuser`, so no wrapper process stands between us and
 * the postmaster) and the cluster directory belongs to it; otherwise as ourselves.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { MissingPrerequisiteError } from './tools';

const run = promisify(execFile);

export const POSTGRES_INSTALL = 'apt-get update && apt-get install -y postgresql';
/** The superuser initdb creates, whatever the OS user: the URL names it. */
export const SUPERUSER = 'postgres';

const REQUIRED = ['initdb', 'pg_ctl', 'postgres', 'pg_isready', 'psql'];

let binDir: Promise<string> | undefined;

/**
 * The directory of the server binaries: `pg_config --bindir` when it points at them
 * (Debian's wrapper does; libpq-dev's own pg_config says /usr/bin, clients only),
 * else the newest /usr/lib/postgresql/<major>/bin, else wherever PATH has initdb.
 */
export function postgresBinDir(): Promise<string> {
  binDir ??= findBinDir().catch((error: unknown) => {
    binDir = undefined;
    throw error;
  });
  return binDir;
}

async function findBinDir(): Promise<string> {
  const candidates: string[] = [];
  const fromPgConfig = await run('pg_config', ['--bindir']).catch(() => undefined);
  if (fromPgConfig) candidates.push(fromPgConfig.stdout.trim());
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const majors = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((major) => path.join(debianRoot, major, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  const found = candidates.find((dir) => REQUIRED.every((bin) => existsSync(path.join(dir, bin))));
  if (!found) {
    throw new MissingPrerequisiteError(
      `PostgreSQL (server binaries initdb, pg_ctl, postgres) was not found: install it with ` +
        `'${POSTGRES_INSTALL}', or set MONGODB_URI to a MongoDB you run.`,
    );
  }
  return found;
}

export interface Identity {
  uid?: number;
  gid?: number;
}

/** Whom the binaries run as: the `postgres` user when we are root, else ourselves. */
export async function identity(): Promise<Identity> {
  if (process.getuid?.() !== 0) return {};
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', SUPERUSER]), run('id', ['-g', SUPERUSER])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  } catch {
    throw new MissingPrerequisiteError(
      `PostgreSQL refuses to run as root and there is no 'postgres' user to run it as: ` +
        `'${POSTGRES_INSTALL}' creates it.`,
    );
  }
}

export async function runBin(bin: string, args: string[], who: Identity, timeout = 60_000) {
  return run(path.join(await postgresBinDir(), bin), args, { ...who, timeout, maxBuffer: 8 << 20 });
}

/** Makes `dir` exist and belong to the server's user, who must also be able to reach it. */
export async function prepareDir(dir: string, who: Identity): Promise<void> {
  // Parents with the default mode (the server's user must pass through them), the cluster 0700.
  await mkdir(path.dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (who.uid === undefined) return;
  await chown(dir, who.uid, who.gid!);
  // `test -w` as that user: fails when a parent directory is not searchable by it.
  const reachable = await run('test', ['-w', dir], who).then(
    () => true,
    () => false,
  );
  if (!reachable) {
    throw new Error(
      `The 'postgres' user cannot reach ${dir} (a parent directory is closed to it): ` +
        `use a directory it can reach (for the stack, LOCAL_DATA_DIR=/var/tmp/discord-tasks for example).`,
    );
  }
}
