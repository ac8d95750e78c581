/**
 * What the history recorders (test/fixtures/record-*.ts) share: which scenarios to run,
 * the outcome check that keeps a wrong run from being saved, the database they record
 * on, and the quiet SDK runtime. Free of vitest: the recorders run under tsx.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { MongoClient, type Db } from 'mongodb';
import { startDiscordEmulator, type DiscordEmulator } from '../../src/emulator';
import { projectRoot } from '../../src/local/paths';
import { freePort } from '../../src/local/processes';
import { startFerretDb, type StartedServer } from '../../src/local/servers';
import { ensureTools, type ToolName } from '../../src/local/tools';
import { historiesDir } from './histories';

/** Throws (so nothing is saved) unless the recorded run came out as expected. */
export function check(condition: boolean, what: string, actual: unknown): void {
  if (!condition) throw new Error(`Not recorded: expected ${what}, got ${JSON.stringify(actual)}`);
}

/**
 * The scenarios to record from the command line (`[--overwrite] [file stem...]`): the
 * named ones or all, minus those whose history is saved already unless `--overwrite`.
 */
export function selectHistories<Scenario extends { workflowId: string }>(
  argv: string[],
  scenarios: Scenario[],
): Scenario[] {
  const overwrite = argv.includes('--overwrite');
  const only = argv.filter((arg) => !arg.startsWith('--'));
  const known = scenarios.map((scenario) => scenario.workflowId);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`Unknown histories: ${unknown.join(', ')}. Known: ${known.join(', ')}`);
  }
  return scenarios.filter(({ workflowId: id }) => {
    if (only.length > 0 && !only.includes(id)) return false;
    if (overwrite || !existsSync(path.join(historiesDir, `${id}.json`))) return true;
    console.log(`kept     ${id}.json (exists; --overwrite ${id} to re-record)`);
    return false;
  });
}

export interface RecordingServers<Temporal> {
  temporal: Temporal;
  /** A database of this recording, dropped at the end. */
  db: Db;
  emulator: DiscordEmulator;
  /** The tests' bundle (test/fixtures/workflows.ts), which the replay test replays against. */
  bundle: WorkflowBundle;
  /** A temporary directory, removed at the end. */
  scratch: string;
}

/**
 * Starts the servers of a recording (Temporal as `startTemporal` says, FerretDB, the
 * Discord emulator) and the workflow bundle, runs `record`, and stops them all, whatever happened.
 */
export async function withRecordingServers<Temporal extends { teardown(): Promise<void> }>(
  options: { tools: ToolName[]; startTemporal(scratch: string): Promise<Temporal> },
  record: (servers: RecordingServers<Temporal>) => Promise<void>,
): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'record-histories-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(scratch, { recursive: true, force: true })];
  try {
    const [mongoServer, temporal, emulator, bundle] = await Promise.all([
      startMongo(scratch, options.tools),
      options.startTemporal(scratch),
      startDiscordEmulator(),
      bundleWorkflowCode({
        workflowsPath: path.join(projectRoot, 'test', 'fixtures', 'workflows.ts'),
        logger: new DefaultLogger('WARN'),
      }),
    ]);
    cleanups.unshift(
      () => temporal.teardown(),
      () => emulator.close(),
      async () => mongoServer.server?.process.stop(),
    );
    const mongo = new MongoClient(mongoServer.uri, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    const db = mongo.db(`record_histories_${Date.now().toString(36)}`);
    cleanups.unshift(async () => {
      await db.dropDatabase().catch(() => undefined);
      await mongo.close();
    });
    await record({ temporal, db, emulator, bundle, scratch });
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
  }
}

/** FerretDB in `scratch` (or TEST_MONGODB_URI), with the other tools the recorder needs built. */
async function startMongo(
  scratch: string,
  tools: ToolName[],
): Promise<{ uri: string; server?: StartedServer }> {
  const external = process.env.TEST_MONGODB_URI;
  await ensureTools(external ? tools : ['ferretdb', ...tools]);
  if (external) return { uri: external };
  const server = await startFerretDb({
    port: await freePort(),
    dataDir: path.join(scratch, 'ferretdb'),
    logFile: path.join(scratch, 'ferretdb.log'),
  });
  return { uri: server.address, server };
}

/** One run's history (a run that continued as new is not the workflow's latest). */
export async function saveRunHistory(
  client: Client,
  workflowId: string,
  runId: string,
  file: string,
): Promise<void> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await writeFile(path.join(historiesDir, file), historyToJSON(history) + '\n');
}

/** The SDK's own logs at WARN and above only: the output is about one line per history. */
export function installQuietRuntime(): void {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    // The core warns that the test server does not advertise newer capabilities: not our concern here.
    telemetryOptions: { logging: { filter: { core: 'ERROR' } } },
  });
}
