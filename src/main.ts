/**
 * `npm start`: the main job on embedded defaults. Brings up the local stack
 * (Temporal dev server + FerretDB, unless TEMPORAL_ADDRESS / MONGODB_URI point
 * elsewhere) and, without a DISCORD_TOKEN, the Discord emulator with a demo guild and
 * demo commands; starts the worker, schedules every task, triggers a first cleanup
 * and says where to look. Ctrl-C stops all of it.
 */
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger } from './logger';
import { installTemporalRuntime } from './temporal-logging';
import { onShutdownSignal } from './shutdown';
import { stackDown, stackSettingsFromEnv, stackUp } from './local/stack';
import { startDiscordEmulator, DEMO_GUILD_ID, type DiscordEmulator } from './emulator';
import { connectMongo, connectTemporalClient } from './connections';
import { seedDemoCommands } from './demo/demo-commands';
import { startWorkers } from './worker';
import { actOnSchedule, upsertSchedule } from './schedules';
import { tasks } from './tasks/registry';
import { customCommandCleanupTask } from './tasks/custom-command-cleanup';
import { assertPortFree } from './local/processes';

/** Demo policy: real thresholds, a short grace period so the whole cycle shows within minutes. */
const DEMO_DEFAULTS = { CLEANUP_GRACE_PERIOD: '2 minutes', CLEANUP_DELETE_AFTER: '60 days' };

async function main(): Promise<void> {
  const startedAt = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env };
  const logger = createLogger(env.LOG_LEVEL ?? 'info', 'main');
  const say = (line: string) => console.log(line);

  const stack = await stackUp(stackSettingsFromEnv(env), say);
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
  installTemporalRuntime(logger, { metricsPort: config.metricsPort });

  if (emulator) {
    const { mongo, db } = await connectMongo(config);
    const seeded = await seedDemoCommands(db);
    await mongo.close();
    if (seeded) say(`Seeded ${seeded} demo custom commands in the demo guild.`);
  }

  const workers = await startWorkers(config, logger);
  onShutdownSignal(() => {
    say('stopping: worker, emulator, local stack...');
    workers.shutdown();
  });
  const client = await connectTemporalClient(config);
  for (const guildId of config.guildIds) {
    for (const task of tasks) await upsertSchedule(client, config, task, guildId);
    await actOnSchedule(client, customCommandCleanupTask, guildId, 'trigger');
  }
  await client.connection.close();

  say('');
  say(
    `running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s): worker up, schedules set, first cleanup triggered`,
  );
  if (stack.webUi)
    say(`  Temporal Web UI   ${stack.webUi}/namespaces/${config.temporal.namespace}/workflows`);
  if (emulator)
    say(`  Discord inbox     ${emulator.url}/   (emulated Discord: the DMs and the admin summary)`);
  say(`  guilds            ${config.guildIds.join(', ')}`);
  say(
    `  grace period      ${env.CLEANUP_GRACE_PERIOD ?? '30 days'} (deletion DMs follow the warnings after it)`,
  );
  say('Ctrl-C stops everything.');

  await workers.done;
  await emulator?.close();
  if (stack.started.length > 0) await stackDown();
  say('stopped');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
