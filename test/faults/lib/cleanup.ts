/**
 * Everything the suite starts is registered here and stopped in reverse order at the
 * end, whether the scenarios passed, failed or threw. A synchronous last resort runs
 * when the process exits anyway (an uncaught error, Ctrl-C), so no server, worker or
 * cluster directory is left behind.
 */
export class Cleanup {
  private readonly entries: { name: string; stop: () => Promise<void>; killNow: () => void }[] = [];
  private done = false;

  constructor() {
    process.once('exit', () => this.killAllNow());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`[faults] ${signal}: stopping everything the suite started`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  add(name: string, stop: () => Promise<void>, killNow: () => void): void {
    this.entries.push({ name, stop, killNow });
  }

  /** Stops everything, last started first; a failing stop does not keep the others running. */
  async run(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const entry of this.entries.splice(0).reverse()) {
      try {
        await entry.stop();
      } catch (error) {
        console.error(`[faults] stopping ${entry.name} failed: ${String(error)}; killing it`);
        try {
          entry.killNow();
        } catch {
          /* already gone */
        }
      }
    }
  }

  private killAllNow(): void {
    for (const entry of this.entries.splice(0).reverse()) {
      try {
        entry.killNow();
      } catch {
        /* already gone */
      }
    }
  }
}
