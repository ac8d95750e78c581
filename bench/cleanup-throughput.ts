/**
 * Benchmark of a large cleanup: `npm run bench -- [--creators N]` (default 1000).
 *
 * Starts its own Temporal dev server, FerretDB and Discord emulator (free ports,
 * temporary data), seeds N creators with one idle command each, runs one cleanup
 * through the real worker (Discord rate cap DISCORD_REQUESTS_PER_SECOND, default 45),
 * and prints the Discord request rate against the 50/s global limit, the 429s, the
 * run time and the worker process's peak memory. Stops everything it started.
 * Numbers, not assertions: the test suite never times anything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { MongoClient, ObjectId } from 'mongodb';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { installTemporalRuntime } from '../src/temporal-logging';
import { startWorkers } from '../src/worker';
import { freePort } from '../src/local/processes';
import { startFerretDb, startTemporalDevServer } from '../src/local/servers';
import { ensureTools } from '../src/local/tools';
import { COLLECTIONS, type CustomCommandDoc } from '../src/db';
import { demoWorldSeed, DEMO_GUILD_ID, startDiscordEmulator } from '../src/emulator';
import { customCommandCleanup } from '../src/workflows';
import { cleanupSettingsFor } from '../src/config';

const DAY = 24 * 60 * 60 * 1000;
const { values } = parseArgs({
  options: {
    creators: { type: 'string', default: '1000' },
    // What-if: the emulator's per-route limit for routes Discord publishes none for (default 10/s),
    // which bounds the per-creator membership check (GET /guilds/{id}/members/{user}).
    'route-limit': { type: 'string' },
  },
});
const creators = Number(values.creators);
if (!Number.isInteger(creators) || creators < 1) throw new Error('--creators must be a positive integer');

await ensureTools(['temporal', 'ferretdb']);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
const [temporal, ferret] = await Promise.all([
  freePort().then((port) => startTemporalDevServer({ port, logFile: path.join(scratch, 'temporal.log') })),
  freePort().then((port) => startFerretDb({ port, dataDir: path.join(scratch, 'ferretdb') })),
]);

const seed = demoWorldSeed();
const ids = Array.from({ length: creators }, (_, i) => String(1300000000000000000n + BigInt(i)));
seed.users = [
  ...(seed.users ?? []),
  ...ids.map((id) => ({ id, username: `u${id.slice(-6)}`, dms_closed: false })),
];
seed.guilds![0]!.members = [
  ...(seed.guilds![0]!.members ?? []),
  ...ids.map((id) => ({ user_id: id, roles: [] })),
];
const routeLimit = values['route-limit'] ? Number(values['route-limit']) : undefined;
const emulator = await startDiscordEmulator({
  seed,
  ...(routeLimit ? { defaultRouteLimit: { limit: routeLimit, windowMs: 1000 } } : {}),
});

const config = loadConfig({
  ...process.env,
  TEMPORAL_ADDRESS: temporal.address,
  MONGODB_URI: ferret.address,
  MONGODB_DB: 'bench',
  DISCORD_TOKEN: emulator.token,
  DISCORD_API_URL: emulator.apiUrl,
  LOG_LEVEL: 'warn',
});
const mongo = new MongoClient(ferret.address);
const now = Date.now();
await mongo
  .db('bench')
  .collection<CustomCommandDoc>(COLLECTIONS.commands)
  .insertMany(
    ids.map((creatorId, i) => ({
      _id: new ObjectId(),
      guildId: DEMO_GUILD_ID,
      name: `cmd-${i}`,
      content: `content ${i}`,
      creatorId,
      createdAt: new Date(now - 100 * DAY),
      updatedAt: new Date(now - 100 * DAY),
      lastUsedAt: new Date(now - 70 * DAY),
      useCount: 1,
    })),
  );

const logger = createLogger('warn', 'bench');
installTemporalRuntime(logger);
const workers = await startWorkers(config, logger);
const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
emulator.control.reset();
const started = Date.now();
const result = await client.workflow.execute(customCommandCleanup, {
  workflowId: `bench-${started}`,
  taskQueue: config.temporal.taskQueue,
  args: [
    {
      guildId: DEMO_GUILD_ID,
      ...cleanupSettingsFor(config, DEMO_GUILD_ID),
      discordTaskQueue: config.temporal.discordTaskQueue,
    },
  ],
});
const seconds = (Date.now() - started) / 1000;
clearInterval(sampler);

const counters = emulator.control.counterSnapshot();
const first = Date.parse(counters.firstRequestAt ?? '');
const last = Date.parse(counters.lastRequestAt ?? '');
const discordSeconds = (last - first) / 1000;
const rate = counters.requestsTotal / discordSeconds;
const dms = emulator.control.messages().filter((m) => m.recipient_id).length;
const history = await client.workflow.getHandle(`bench-${started}`).describe();

console.log(`creators warned          ${result.warnedCreators} of ${creators} (DMs stored: ${dms})`);
console.log(`cleanup run              ${seconds.toFixed(1)} s`);
console.log(`Discord requests         ${counters.requestsTotal} in ${discordSeconds.toFixed(1)} s`);
console.log(
  `request rate             ${rate.toFixed(1)}/s = ${((rate / 50) * 100).toFixed(0)}% of the 50/s limit`,
);
console.log(`  the original's pattern (a DM, then sleep 1 s): about 2/s = 4%`);
console.log(`peak in any 1 s window   ${counters.peakRequestsPerWindow}`);
for (const [route, count] of Object.entries(counters.perRoute)) console.log(`  ${route.padEnd(44)} ${count}`);
if (routeLimit) console.log(`(what-if: emulator default per-route limit ${routeLimit}/s instead of 10/s)`);
console.log(`429 responses            ${counters.rateLimited.total}`);
console.log(`history events (last run) ${history.historyLength}`);
console.log(`worker process peak RSS  ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

workers.shutdown();
await workers.done;
await client.connection.close();
await mongo.close();
await emulator.close();
await Promise.all([temporal.process.stop(), ferret.process.stop()]);
await rm(scratch, { recursive: true, force: true });
