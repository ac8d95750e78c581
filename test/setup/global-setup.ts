/**
 * Once per `vitest run`: builds the local servers if needed, starts a Temporal dev
 * server and a FerretDB on free ports, and bundles the workflows once. FerretDB runs
 * on a fresh throwaway PostgreSQL cluster of this run (in its own temporary
 * directory, owned by the `postgres` user when we are root), which `startFerretDb`
 * stops and deletes with it. Test files reach them through `inject(...)`; each file
 * makes its own database (and its own time-skipping test server, since skipped time
 * is global to a server). Everything started here is stopped in teardown, whether
 * tests passed or not.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort } from '../../src/local/processes';
import { startFerretDb, startTemporalDevServer, type StartedServer } from '../../src/local/servers';
import { ensureTools } from '../../src/local/tools';
import { projectRoot } from '../../src/local/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    mongodbUri: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'discord-tasks-test-'));
  const servers: StartedServer[] = [];
  const teardown = async () => {
    await Promise.all(servers.map((s) => s.process.stop()));
    await rm(scratch, { recursive: true, force: true });
  };
  // Also on Ctrl-C or a crash of the runner: never leave a server behind (PostgreSQL
  // included: killNow takes the servers attached to FerretDB down too).
  process.once('exit', () => servers.forEach((s) => s.process.killNow()));

  try {
    // TEST_MONGODB_URI runs the suite against a real MongoDB instead of FerretDB.
    const externalMongo = process.env.TEST_MONGODB_URI;
    await ensureTools(externalMongo ? ['temporal', 'test-server'] : undefined);

    // allSettled: when one start fails, the others finish starting (and are tracked)
    // before the teardown below, so none is left running.
    const results = await Promise.allSettled([
      freePort().then((port) =>
        startTemporalDevServer({ port, logFile: path.join(scratch, 'temporal.log') }).then(track),
      ),
      externalMongo
        ? undefined
        : freePort().then((port) =>
            startFerretDb({
              port,
              // TEST_FERRETDB_BACKEND=sqlite: the former backend, to tell a backend difference from a bug.
              backend: process.env.TEST_FERRETDB_BACKEND === 'sqlite' ? 'sqlite' : 'postgresql',
              dataDir: path.join(scratch, 'ferretdb'),
              logFile: path.join(scratch, 'ferretdb.log'),
            }).then(track),
          ),
      bundleWorkflowCode({
        workflowsPath: path.join(projectRoot, 'test', 'fixtures', 'workflows.ts'),
        logger: quietBundlerLogger,
      }),
    ]);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
    const [temporal, mongo, bundle] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      StartedServer,
      StartedServer | undefined,
      Awaited<ReturnType<typeof bundleWorkflowCode>>,
    ];
    const workflowBundlePath = path.join(scratch, 'workflow-bundle.js');
    await writeFile(workflowBundlePath, bundle.code);

    project.provide('temporalAddress', temporal.address);
    project.provide('mongodbUri', externalMongo ?? mongo!.address);
    project.provide('workflowBundlePath', workflowBundlePath);
    console.log(
      `[setup] servers and workflow bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;

  function track(server: StartedServer): StartedServer {
    servers.push(server);
    return server;
  }
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: unknown) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: unknown) => console.error(message, meta ?? ''),
  log: () => undefined,
};
