/** Starting, waiting for and stopping the local server processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

export const LOCALHOST = '127.0.0.1';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOCALHOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function isPortOpen(port: number, host = LOCALHOST): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class PortInUseError extends Error {}

/** Fails with a message naming the setting to change when `port` is already taken. */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (await isPortOpen(port)) {
    throw new PortInUseError(
      `Port ${port} for ${what} is already in use on ${LOCALHOST}. ` +
        `Stop what listens there, or choose another port with ${envVar}=<port>.`,
    );
  }
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  /** Where stdout and stderr go; ignored output when absent. */
  logFile?: string;
  /** Keep running after this Node process exits (the stack runner); tests leave it false. */
  detached?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (PostgreSQL refuses root); the working directory is entered before. */
  uid?: number;
  gid?: number;
  cwd?: string;
}

/** Something stopped together with a server: a backing server of its own, a temporary directory. */
export interface Dependent {
  stop(): Promise<void>;
  /** Synchronous last resort when the runner exits (no await possible there). */
  killNow?(): void;
}

/** A server process we started, stopped by its pid and nothing else. */
export class ServerProcess {
  private exited: Promise<void>;
  private dependents: Dependent[] = [];
  exitCode: number | null = null;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Stops `dependent` right after this process, in the order attached: FerretDB
   * first, then the PostgreSQL it writes to, then that cluster's directory.
   */
  attach(dependent: Dependent): void {
    this.dependents.push(dependent);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; then what is attached. Resolves once all are gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    for (const dependent of this.dependents.splice(0)) await dependent.stop();
  }

  /** SIGKILL now, and the attached servers' own last resort: for a process 'exit' handler. */
  killNow(): void {
    if (this.running) this.child.kill('SIGKILL');
    for (const dependent of this.dependents) dependent.killNow?.();
  }

  /** Rejects as soon as the process exits: raced against readiness checks. */
  async whenExited(): Promise<never> {
    await this.exited;
    throw new Error(`${this.name} exited with code ${this.exitCode} before it was ready`);
  }
}

export function startProcess(options: StartOptions): ServerProcess {
  return new ServerProcess(options.name, spawnChild(options));
}

/** The child process alone, for servers with their own ServerProcess subclass. */
export function spawnChild(options: StartOptions): ChildProcess {
  const fd = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.command, options.args, {
    stdio: ['ignore', fd, fd],
    detached: options.detached ?? false,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    cwd: options.cwd,
  });
  if (typeof fd === 'number') closeSync(fd);
  if (options.detached) child.unref();
  return child;
}

/** Polls `check` until it resolves true, the process dies, or `timeoutMs` passes. */
export async function waitUntilReady(
  server: ServerProcess,
  check: () => Promise<boolean>,
  {
    timeoutMs = 60_000,
    intervalMs = 200,
    logFile,
  }: { timeoutMs?: number; intervalMs?: number; logFile?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exited = server.whenExited();
  exited.catch(() => undefined);
  while (Date.now() < deadline) {
    const ready = await Promise.race([check().catch(() => false), exited]);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await server.stop();
  throw new Error(
    `${server.name} did not become ready within ${timeoutMs / 1000} s` + (logFile ? `; see ${logFile}` : ''),
  );
}

/**
 * True when a process with this pid runs (signal 0 probes without killing). A zombie
 * counts as gone: it has exited and only waits for its parent to collect it, which
 * is this very process when the stack was started and stopped by `npm start`.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return procStat(pid)?.state !== 'Z';
}

/** State and parent pid from /proc/<pid>/stat (Linux); undefined when unreadable. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // The command name (2nd field) is in parentheses and may hold spaces: parse after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The pids whose parent is `pid` (Linux /proc; empty elsewhere). */
export function childPids(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => procStat(candidate)?.ppid === pid);
}
