// The tests mirror src/: a folder per module (test/db, test/discord, test/workflows,
// test/cleanup, ...) and test/tasks/<task>/ for each scheduled task. Besides them:
// integration/ (the real processes end to end), contract/ (Discord's OpenAPI spec),
// faults/ (the fault-injection suite, `npm run test:faults`), smoke/ (the servers and
// replay of saved histories), helpers/ (harnesses), fixtures/ (saved histories and their
// recorders), setup/ (the servers started once per run). A `*.unit.test.ts` needs no server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Forks, not threads: the Temporal native bridge segfaulted under worker threads.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/temporal-runtime.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
