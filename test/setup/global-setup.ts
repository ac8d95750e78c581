/**
 * Once per `vitest run`: builds the local servers if needed, starts a Temporal dev
 * server and a FerretDB on free ports, and bundles the workflows once. Test files
 * reach them through `inject(...)`; each file makes its own database (and its own
 * time-skipping test server, since skipped time is global to a server).
 * Everything started here is stopped in teardown, whether tests passed or not.
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
  // Also on Ctrl-C or a crash of the runner: never leave a server behind.
  process.once('exit', () => servers.forEach((s) => s.process.child.kill('SIGKILL')));

  try {
    // TEST_MONGODB_URI runs the suite against a real MongoDB instead of FerretDB.
    const externalMongo = process.env.TEST_MONGODB_URI;
    await ensureTools(externalMongo ? ['temporal', 'test-server'] : undefined);

    const [temporal, mongo, bundle] = await Promise.all([
      freePort().then((port) =>
        startTemporalDevServer({ port, logFile: path.join(scratch, 'temporal.log') }).then(track),
      ),
      externalMongo
        ? undefined
        : freePort().then((port) =>
            startFerretDb({
              port,
              dataDir: path.join(scratch, 'ferretdb'),
              logFile: path.join(scratch, 'ferretdb.log'),
            }).then(track),
          ),
      bundleWorkflowCode({
        workflowsPath: path.join(projectRoot, 'test', 'fixtures', 'workflows.ts'),
        logger: quietBundlerLogger,
      }),
    ]);
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
