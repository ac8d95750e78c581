/**
 * `npm start` as a child process on free ports with its own data directory, so it
 * clashes with nothing already running (a stack of `npm run stack -- up`, another
 * demo), and its stopping: Ctrl-C to its process group as a terminal sends it, then,
 * if it hangs, SIGKILL and `npm run stack -- down` on its data directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/local/processes';
import { projectRoot } from '../../src/local/paths';

export interface DemoProcess {
  inboxUrl: string;
  webUiUrl: string;
  temporalAddress: string;
  /** Everything the demo printed (JSON log lines, since it is not a terminal). */
  logFile: string;
  /** Resolves once `npm start` says it is ready; rejects if it exits first. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** How long the demo gets to stop its worker, emulator and servers after Ctrl-C. */
const STOP_GRACE_MS = 60_000;
const READY_LINE = /^Ready in /m;

export async function startDemo(log: (line: string) => void): Promise<DemoProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'screenshots-demo-'));
  // mkdtemp makes it 0700: PostgreSQL, run as its own user when we are root, must reach its cluster inside.
  await chmod(dataDir, 0o755);
  // Outside the data directory, which stop() removes: kept to read after a failure.
  const logFile = path.join(os.tmpdir(), 'screenshots-npm-start.log');
  const [temporalPort, temporalUiPort, mongoPort, emulatorPort] = await distinctFreePorts(4);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(temporalUiPort),
    MONGODB_PORT: String(mongoPort),
    DISCORD_EMULATOR_PORT: String(emulatorPort),
  };
  // The demo runs on its own servers and the emulator: none of the caller's.
  for (const name of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'DISCORD_TOKEN', 'DISCORD_API_URL', 'GUILD_IDS'])
    delete env[name];

  log(`Starting npm start (data and log in ${dataDir})...`);
  // detached: its own process group, which Ctrl-C in our terminal does not reach; stop() signals it.
  const child = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: 'pipe' });
  const out = createWriteStream(logFile);
  let printed = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      printed += chunk.toString('utf8');
      if (READY_LINE.test(printed)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`npm start exited (code ${code}) before it was ready; see ${logFile}`)),
    );
  });
  ready.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopDemo(child, exited, env, dataDir, log).finally(() => out.end()));
  return {
    inboxUrl: `http://127.0.0.1:${emulatorPort}`,
    webUiUrl: `http://127.0.0.1:${temporalUiPort}`,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    logFile,
    ready,
    stop,
  };
}

async function stopDemo(
  child: ChildProcess,
  exited: Promise<number | null>,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    log('Stopping the demo (Ctrl-C to npm start)...');
    signalGroup(child, 'SIGINT');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_GRACE_MS));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      log(`npm start did not stop within ${STOP_GRACE_MS / 1000} s: killing it`);
      signalGroup(child, 'SIGKILL');
      await exited;
    }
  }
  // The servers run detached from npm start: stop whatever it left, by the pids in its data directory.
  spawnSync(process.execPath, ['--import', 'tsx', 'src/local/stack-cli.ts', 'down'], {
    cwd: projectRoot,
    env,
    stdio: 'ignore',
  });
  await rm(dataDir, { recursive: true, force: true });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** Free ports, distinct from each other (the OS may hand out a port just released again). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
