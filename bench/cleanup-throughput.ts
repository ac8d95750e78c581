/**
 * `npm run bench -- --creators N [--commands M] [--workers K] [--sample S] [--json]`
 *
 * One cleanup run as deployed: a Temporal dev server, FerretDB on PostgreSQL, the Discord
 * emulator, the rate-budget proxy (one budget of 50 requests/s for every worker) and K
 * worker processes, each its own process. Seeds N creators with one idle command each
 * (plus M - N fresh commands), runs one cleanup, then a second one that finds nothing at
 * risk (the sweep), and prints one JSON object (--json) or a table:
 * - the Discord requests against the physical floor (two requests for a first warning,
 *   one when the DM channel is known, at 50 requests/s), the 429s, the peak in any of
 *   discord.js's 1 s windows;
 * - the workers' peak RSS, the longest workflow history, the sweep's time;
 * - the seed's pattern (DM one creator, sleep a second), measured on S users of the same
 *   emulator.
 * Numbers, not assertions: the test suite never times anything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { cleanupSettingsFor, loadConfig } from '../src/config';
import { COLLECTIONS } from '../src/db';
import { DEMO_BOT_TOKEN, DEMO_CHANNELS, DEMO_GUILD_ID } from '../src/emulator';
import type { CountersSnapshot } from '../src/emulator';
import { freePort } from '../src/local/processes';
import { startFerretDb, startTemporalDevServer } from '../src/local/servers';
import { ensureTools } from '../src/local/tools';
import { customCommandCleanup } from '../src/workflows';
import { activityTimings, firstClaimSeconds, maxHistoryEvents } from './lib/histories';
import { startChild, type Child } from './lib/processes';
import { benchWorld, sampleUserId, seedCommands } from './lib/seed';
import { measureSeedPattern } from './lib/seed-pattern';
import { printTable } from './lib/report';
import { DAY_MS } from '../src/duration';

const DISCORD_LIMIT = 50;
/** Preflight: GET /users/@me, the guild, its channels, its roles and the bot's member. */
const PREFLIGHT_REQUESTS = 5;

const { values } = parseArgs({
  options: {
    creators: { type: 'string', default: '1000' },
    commands: { type: 'string' },
    workers: { type: 'string', default: '1' },
    sample: { type: 'string', default: '20' },
    'in-flight': { type: 'string' },
    'warn-batch': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const creators = positive('--creators', values.creators);
const commands = values.commands === undefined ? creators : positive('--commands', values.commands);
const workerCount = positive('--workers', values.workers);
const sample = positive('--sample', values.sample);
const maxInFlight =
  values['in-flight'] === undefined ? undefined : positive('--in-flight', values['in-flight']);
const warnBatch =
  values['warn-batch'] === undefined ? undefined : positive('--warn-batch', values['warn-batch']);
if (commands < creators) fail('--commands must be at least --creators (each creator owns one idle command)');
const progress = (line: string) => console.error(`[bench] ${line}`);

await ensureTools(['temporal', 'ferretdb']);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
const children: Child[] = [];
const stoppers: (() => Promise<unknown>)[] = [];
let stopping: Promise<void> | undefined;
const stopAll = () =>
  (stopping ??= (async () => {
    await Promise.all(children.map((c) => c.stop()));
    for (const stop of stoppers) await stop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  })());
// Interrupted: stop what was started (servers, workers) before leaving. Every signal is
// caught, not only the first: Ctrl-C reaches this process twice (from the terminal and
// relayed by tsx), and a second default handler would exit before the servers stop.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping everything the benchmark started`);
    // A pending Temporal call retries on a timer and throws once its connection is closed:
    // that must not end the process before PostgreSQL has stopped.
    if (!process.listenerCount('uncaughtException')) {
      process.on('uncaughtException', (error) => progress(`while stopping: ${error.message}`));
    }
    void stopAll().finally(() => process.exit(130));
  });
}
try {
  const [temporal, ferret] = await Promise.all([
    freePort().then((port) => startTemporalDevServer({ port, logFile: path.join(scratch, 'temporal.log') })),
    freePort().then((port) =>
      startFerretDb({
        port,
        dataDir: path.join(scratch, 'ferretdb'),
        logFile: path.join(scratch, 'ferretdb.log'),
      }),
    ),
  ]);
  stoppers.push(
    () => temporal.process.stop(),
    () => ferret.process.stop(),
  );

  const emulatorPort = await freePort();
  const emulator = startChild(
    'emulator',
    'src/emulator/main.ts',
    { DISCORD_EMULATOR_PORT: String(emulatorPort) },
    scratch,
  );
  children.push(emulator);
  await emulator.ready(/listening/);
  const control = emulatorControl(`http://127.0.0.1:${emulatorPort}`);
  await control.post('/_emulator/seed', benchWorld(creators, sample));

  const proxyPort = await freePort();
  const proxy = startChild(
    'discord-proxy',
    'src/discord-proxy.ts',
    {
      DISCORD_API_URL: `http://127.0.0.1:${emulatorPort}/api`,
      DISCORD_PROXY_PORT: String(proxyPort),
      DISCORD_REQUESTS_PER_SECOND: String(DISCORD_LIMIT),
    },
    scratch,
  );
  children.push(proxy);
  await proxy.ready(/proxy running/);

  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    MONGODB_URI: ferret.address,
    MONGODB_DB: 'bench',
    DISCORD_TOKEN: DEMO_BOT_TOKEN,
    DISCORD_API_URL: `http://127.0.0.1:${proxyPort}/api`,
    DISCORD_REQUESTS_PER_SECOND: String(DISCORD_LIMIT),
    LOG_LEVEL: 'info',
  };
  progress(`starting ${workerCount} worker process(es)`);
  const workers = Array.from({ length: workerCount }, (_, i) =>
    startChild(`worker-${i + 1}`, 'src/worker.ts', env, scratch),
  );
  children.push(...workers);
  await Promise.all(workers.map((w) => w.ready(/worker running/, 300_000)));

  const mongo = new MongoClient(ferret.address);
  stoppers.unshift(() => mongo.close());
  const db = mongo.db('bench');
  progress(`seeding ${commands} command(s) of ${creators} idle creator(s)`);
  const seedSeconds = await seedCommands(db, creators, commands);
  progress(`seeded in ${seedSeconds.toFixed(1)} s`);

  const config = loadConfig({ ...process.env, ...env });
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  stoppers.unshift(() => client.connection.close());
  const run = (workflowId: string) =>
    client.workflow.execute(customCommandCleanup, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [
        {
          guildId: DEMO_GUILD_ID,
          ...cleanupSettingsFor(config, DEMO_GUILD_ID),
          discordTaskQueue: config.temporal.discordTaskQueue,
          ...(maxInFlight ? { maxInFlight } : {}),
          ...(warnBatch ? { warnBatch } : {}),
        },
      ],
    });

  await control.post('/_emulator/reset', {});
  progress('cleanup run started');
  const started = Date.now();
  const result = await run('bench-cleanup');
  const seconds = (Date.now() - started) / 1000;
  const counters = (await control.get('/_emulator/counters')) as CountersSnapshot;
  const summaryMessages = (
    (await control.get(`/_emulator/messages?channel_id=${DEMO_CHANNELS.admin}`)) as {
      messages: unknown[];
    }
  ).messages.length;
  const workerPeakRssMiB = Math.max(
    ...(await Promise.all(workers.map(async (w) => (await w.peakRssMiB()) ?? 0))),
  );
  progress(`cleanup run done in ${seconds.toFixed(1)} s: ${result.warnedCreators} creator(s) warned`);

  const timings = await activityTimings(client, 'bench-cleanup');
  const maxEvents = await maxHistoryEvents(client, 'bench-cleanup');

  progress('sweep run (nothing at risk any more)');
  await run('bench-sweep');
  const sweepSeconds = await firstClaimSeconds(client, 'bench-sweep');
  const sweepQuery = Date.now();
  await db
    .collection(COLLECTIONS.commands)
    .find({
      guildId: DEMO_GUILD_ID,
      lastUsedAt: { $lte: new Date(Date.now() - 60 * DAY_MS) },
      updatedAt: { $lte: new Date(Date.now() - 60 * DAY_MS) },
      cleanup: { $exists: false },
    })
    .limit(101)
    .toArray();
  const sweepQuerySeconds = (Date.now() - sweepQuery) / 1000;

  progress(`the seed's pattern on ${sample} user(s)`);
  const seedPattern = await measureSeedPattern(
    `http://127.0.0.1:${emulatorPort}/api`,
    DEMO_BOT_TOKEN,
    Array.from({ length: sample }, (_, i) => sampleUserId(i)),
  );

  // The floor: two requests per first warning (open the DM channel, send), the preflight, the summary.
  const needed = 2 * result.warnedCreators + PREFLIGHT_REQUESTS + summaryMessages;
  const physicalMinimumSeconds = needed / DISCORD_LIMIT;
  const requestsPerSecond = counters.requestsTotal / seconds;
  const figures = {
    creators,
    commands,
    workers: workerCount,
    seconds: round(seconds),
    requests: counters.requestsTotal,
    requestsPerSecond: round(requestsPerSecond),
    limitPerSecond: DISCORD_LIMIT,
    ratioOfLimit: round(requestsPerSecond / DISCORD_LIMIT, 3),
    // What the creators cost: every request but the run's own (the preflight, the summary).
    requestsPerCreator: round((counters.requestsTotal - PREFLIGHT_REQUESTS - summaryMessages) / creators, 3),
    creatorsPerSecond: round(result.warnedCreators / seconds),
    physicalMinimumSeconds: round(physicalMinimumSeconds),
    ratioOfPhysical: round(physicalMinimumSeconds / seconds, 3),
    http429: counters.rateLimited.total,
    peakRequestsPerWindow: counters.peakRequestsPerWindow,
    workerPeakRssMiB: round(workerPeakRssMiB, 0),
    maxHistoryEvents: maxEvents,
    sweepSeconds: sweepSeconds === null ? null : round(sweepSeconds),
    sweepQuerySeconds: round(sweepQuerySeconds),
    seedSeconds: round(seedSeconds),
    seedPattern: {
      creatorsPerSecond: round(seedPattern.creatorsPerSecond, 3),
      requestsPerSecond: round(seedPattern.requestsPerSecond, 3),
    },
  };
  if (values.json) console.log(JSON.stringify(figures));
  else printTable(figures, counters, timings, result.warnedCreators);
} finally {
  await stopAll();
}

function emulatorControl(base: string) {
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`emulator ${method} ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    get: (route: string) => call('GET', route),
    post: (route: string, body: unknown) => call('POST', route, body),
  };
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got '${text}'`);
  return n;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
