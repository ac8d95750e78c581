/**
 * `npm start`: the main job on embedded defaults. Brings up the local stack
 * (Temporal dev server + FerretDB, unless TEMPORAL_ADDRESS / MONGODB_URI point
 * elsewhere) and, without a DISCORD_TOKEN, the Discord emulator with a demo guild and
 * demo commands; starts the worker, schedules every task, runs the cleanup, then the usage
 * analytics and a health check, once at start, and says where to look. Ctrl-C stops all of it.
 */
import { loadConfig, ConfigError, type Config } from './config';
import { chooseLogFormat, createLogger } from './logger';
import { installTemporalRuntime } from './temporal-logging';
import { onShutdownSignal } from './shutdown';
import { stackDown, stackSettingsFromEnv, stackUp } from './local/stack';
import { startDiscordEmulator, DEMO_GUILD_ID, type DiscordEmulator } from './emulator';
import { connectMongo, connectTemporalClient } from './connections';
import { seedDemoCommands } from './demo/demo-commands';
import { seedDemoUsage } from './analytics/demo-usage';
import { startWorkers } from './worker';
import { reconcileSchedules } from './schedules';
import { triggerFirstRuns } from './first-runs';
import { CLEANUP_TASK } from './cleanup/policy';
import { enabledTasks } from './tasks/registry';
import { resolveGuildIds } from './guilds';
import { assertPortFree } from './local/processes';

/** Demo policy: real thresholds, a short grace period so the whole cycle shows within minutes. */
const DEMO_DEFAULTS = { CLEANUP_GRACE_PERIOD: '2 minutes', CLEANUP_DELETE_AFTER: '60 days' };

/** Run once at start, so the inbox shows their messages within a minute (the others wait for their time). */
const RUN_AT_START = ['custom-command-cleanup', 'usage-analytics', 'health-check'];

/** How long the worker's start-up logs get to come out before the status block. */
const SETTLE_MS = 300;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The user's settings, checked before anything starts (what is added below is valid).
  loadConfig(env);
  const say = (line: string) => console.log(line);
  const starting = ['the local servers', ...(env.DISCORD_TOKEN ? [] : ['the Discord emulator'])];
  say(`Starting ${starting.join(', ')} and the worker...`);

  const settings = stackSettingsFromEnv(env);
  const stack = await stackUp(settings, say);
  env.TEMPORAL_ADDRESS = stack.temporalAddress;
  env.MONGODB_URI = stack.mongodbUri;

  let emulator: DiscordEmulator | undefined;
  if (!env.DISCORD_TOKEN) {
    const port = Number(env.DISCORD_EMULATOR_PORT ?? 8787);
    await assertPortFree(port, 'the Discord emulator', 'DISCORD_EMULATOR_PORT');
    emulator = await startDiscordEmulator({ port });
    env.DISCORD_TOKEN = emulator.token;
    env.DISCORD_API_URL = emulator.apiUrl;
    env.GUILD_IDS ||= DEMO_GUILD_ID;
    for (const [name, value] of Object.entries(DEMO_DEFAULTS)) env[name] ||= value;
  }

  const config: Config = loadConfig(env);
  // Readable lines on a terminal, JSON when piped; LOG_FORMAT forces either.
  const logger = createLogger(config.logLevel, 'main', {
    format: chooseLogFormat({ isTTY: process.stdout.isTTY, LOG_FORMAT: config.logFormat }),
  });
  installTemporalRuntime(logger, { metricsPort: config.metricsPort });

  if (emulator) {
    const { mongo, db } = await connectMongo(config);
    const seeded = await seedDemoCommands(db);
    // A week of uses, so the first usage analytics has a chart to show.
    if (seeded) await seedDemoUsage(db, DEMO_GUILD_ID);
    await mongo.close();
    if (seeded) say(`Seeded ${seeded} demo custom commands in the demo guild.`);
  }

  const workers = await startWorkers(config, logger);
  let stopping = false;
  onShutdownSignal(() => {
    stopping = true;
    say('stopping: worker, emulator, local stack...');
    workers.shutdown();
  });
  const client = await connectTemporalClient(config);
  const guildIds = await resolveGuildIds(config);
  await reconcileSchedules(client, config, guildIds);
  const firstRuns = enabledTasks(config).filter((task) => RUN_AT_START.includes(task.name));
  const { rest } = await triggerFirstRuns(client, firstRuns, guildIds, () => stopping);
  const laterRuns = rest
    .catch((error: unknown) =>
      logger.warn({ err: error }, 'The first runs after the cleanup were not all triggered'),
    )
    .finally(() => client.connection.close());

  // Last, after the worker's start-up logs: where to look and how to stop.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rule = '='.repeat(78);
  const local = (what: string, server: string) =>
    `local ${what}, ${stack.started.includes(server) ? 'started now' : 'already running'}`;
  say('');
  say(rule);
  say(
    `Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: worker up, schedules set, first runs triggered: ${firstRunsOrder(firstRuns)}.`,
  );
  if (emulator)
    say(`  Discord inbox     ${emulator.url}/   (emulated Discord: the DMs and the admin reports)`);
  if (stack.webUi)
    say(`  Temporal Web UI   ${stack.webUi}/namespaces/${config.temporal.namespace}/workflows`);
  say(
    `  Temporal          ${config.temporal.address} (${settings.temporalAddress ? 'TEMPORAL_ADDRESS' : local('dev server', 'temporal')})`,
  );
  say(
    // A URI of the user's may hold a password: not printed.
    `  MongoDB           ${settings.mongodbUri ? 'MONGODB_URI' : `${config.mongodb.uri} (${local('FerretDB on PostgreSQL', 'ferretdb')})`}`,
  );
  say(`  worker            task queues ${config.temporal.taskQueue} and ${config.temporal.discordTaskQueue}`);
  say(`  guilds            ${guildIds.join(', ')}`);
  say(
    `  tasks             ${enabledTasks(config)
      .map((t) => t.name)
      .join(', ')}`,
  );
  say(
    `  grace period      ${env.CLEANUP_GRACE_PERIOD ?? '30 days'} (deletion DMs follow the warnings after it)`,
  );
  say(
    stack.started.length > 0
      ? `Ctrl-C stops everything: the worker${emulator ? ', the emulator' : ''} and the local servers.`
      : `Ctrl-C stops the worker${emulator ? ' and the emulator' : ''}; the local servers keep running (npm run stack -- down).`,
  );
  say(rule);

  await workers.done;
  await laterRuns;
  await emulator?.close();
  if (stack.started.length > 0) await stackDown();
  say('stopped');
}

/** "custom-command-cleanup now, then usage-analytics, health-check once it has ended" */
function firstRunsOrder(tasks: { name: string }[]): string {
  const others = tasks.filter((task) => task.name !== CLEANUP_TASK).map((task) => task.name);
  if (others.length === tasks.length) return others.join(', ');
  return others.length ? `${CLEANUP_TASK} now, then ${others.join(', ')} once it has ended` : CLEANUP_TASK;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
