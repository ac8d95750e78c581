/**
 * The benchmark's own processes, each apart from the others as in a deployment: the
 * Discord emulator, the rate-budget proxy and K workers (`node --import tsx`, so the pid
 * is the worker's own and its peak RSS can be read from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  name: string;
  process: ChildProcess;
  log: string;
  /** Resolves once the log has a line matching `ready`. */
  ready(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Peak resident set size so far (VmHWM), in MiB; null once the process is gone. */
  peakRssMiB(): Promise<number | null>;
  stop(): Promise<void>;
}

export function startChild(name: string, script: string, env: NodeJS.ProcessEnv, logDir: string): Child {
  const log = path.join(logDir, `${name}.log`);
  const out = createWriteStream(log);
  // BENCH_CPU_PROF_DIR: each child writes a V8 CPU profile there when it exits (open it in
  // Chrome's DevTools); Node refuses --cpu-prof in NODE_OPTIONS.
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const take = (chunk: Buffer) => {
    out.write(chunk);
    // Only the start of the log is searched for readiness: no need to keep it all.
    if (output.length < 1_000_000) output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = once(child, 'exit');

  return {
    name,
    process: child,
    log,
    ready: (pattern, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => fail(new Error(`${name} not ready in ${timeoutMs} ms: see ${log}`)),
          timeoutMs,
        );
        const check = () => {
          if (pattern.test(output)) done();
        };
        const onExit = () => fail(new Error(`${name} exited before it was ready: see ${log}`));
        const done = () => {
          cleanup();
          resolve();
        };
        const fail = (error: Error) => {
          cleanup();
          reject(error);
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      }),
    async peakRssMiB() {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        const kib = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
        return kib ? Number(kib) / 1024 : null;
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    },
  };
}
