/**
 * The product's entry points as real child processes (node with the tsx loader, so a
 * signal reaches the product's own process), each one's stdout and stderr written to
 * its own file in the suite's log directory for the token check. Workers are tracked:
 * the suite kills whatever is left of them at the end.
 */
import path from 'node:path';
import { runEntryPoint, type ChildRun } from '../../helpers/processes';
import type { Cleanup } from './cleanup';

export interface WorkerHandle {
  name: string;
  run: ChildRun;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (the product's graceful shutdown) and wait for the exit. */
  stop(): Promise<void>;
}

export class Children {
  /** Every child process still running (workers and starters). */
  private readonly workers = new Set<WorkerHandle>();
  private counter = 0;

  constructor(
    private readonly logDir: string,
    cleanup: Cleanup,
  ) {
    cleanup.add(
      'worker and starter processes',
      async () => {
        await Promise.all([...this.workers].map((w) => w.kill()));
      },
      () => this.workers.forEach((w) => w.run.child.kill('SIGKILL')),
    );
  }

  logFile(label: string): string {
    return path.join(this.logDir, `${label}-${++this.counter}.log`);
  }

  /** Starts `src/worker.ts`; resolves once it prints that it runs. */
  async startWorker(label: string, env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<WorkerHandle> {
    const worker = this.spawnWorker(label, env);
    await worker.run.waitFor(/worker running/, timeoutMs);
    return worker;
  }

  /** Starts `src/worker.ts` without waiting for it. */
  spawnWorker(label: string, env: NodeJS.ProcessEnv): WorkerHandle {
    const name = `worker-${label}`;
    return this.track(name, runEntryPoint('src/worker.ts', [], env, this.logFile(name)));
  }

  private track(name: string, run: ChildRun): WorkerHandle {
    const exit = async (signal: NodeJS.Signals) => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
      await run.exited;
      this.workers.delete(handle);
    };
    const handle: WorkerHandle = {
      name,
      run,
      kill: () => exit('SIGKILL'),
      stop: () => exit('SIGTERM'),
    };
    this.workers.add(handle);
    void run.exited.then(() => this.workers.delete(handle));
    return handle;
  }

  /** Runs `src/starter.ts` to its end (tracked like a worker, should the suite stop meanwhile). */
  async starter(
    label: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): Promise<{ code: number | null; output: string }> {
    const handle = this.track(
      `starter-${label}`,
      runEntryPoint('src/starter.ts', args, env, this.logFile(`starter-${label}`)),
    );
    const code = await handle.run.exited;
    return { code, output: handle.run.output() };
  }

  /** Runs `src/worker.ts` expecting it to exit by itself (bad configuration), killed after `timeoutMs`. */
  async workerToExit(
    label: string,
    env: NodeJS.ProcessEnv,
    timeoutMs: number,
  ): Promise<{ code: number | null; output: string; timedOut: boolean }> {
    const worker = this.spawnWorker(label, env);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void worker.kill();
    }, timeoutMs);
    const code = await worker.run.exited;
    clearTimeout(timer);
    return { code, output: worker.run.output(), timedOut };
  }
}
