/** Entry points of the product run as real child processes (worker, starter), with their own env. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/local/paths';

export interface ChildRun {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves once a line matching `pattern` was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function runEntryPoint(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile?: string,
): ChildRun {
  // Node itself with tsx as a loader (not the tsx CLI, which would run Node as a
  // grandchild): a signal sent to `child` reaches the product's process.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, script), ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    log?.write(chunk);
    listeners.forEach((l) => l());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`${script} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`),
          );
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!pattern.test(output)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`${script} exited before printing ${pattern}:\n${output.slice(-3000)}`));
          }
        });
        check();
      }),
  };
}

/** Runs a command of the starter CLI to completion; returns its exit code and output. */
export async function runStarter(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const run = runEntryPoint('src/starter.ts', args, env);
  const code = await run.exited;
  return { code, output: run.output() };
}
