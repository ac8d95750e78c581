/**
 * `npm run discord-proxy`: the one rate budget of a bot token for every worker (see
 * src/discord/rate-budget-proxy.ts). Run one per bot token and point every worker's
 * DISCORD_API_URL at it (`http://<host>:<DISCORD_PROXY_PORT>/api`). It sends on to
 * DISCORD_API_URL at DISCORD_REQUESTS_PER_SECOND for all of them together.
 */
import { z } from 'zod';
import { ConfigError, exitOnConfigError, loadConfigOrExit } from './config';
import { startRateBudgetProxy } from './discord/rate-budget-proxy';
import { createLogger } from './logger';
import { onShutdownSignal } from './shutdown';

const proxyEnvironment = z.object({
  DISCORD_PROXY_HOST: z.string().regex(/^\S+$/, 'a host name or address to listen on').default('127.0.0.1'),
  DISCORD_PROXY_PORT: z.coerce
    .number({ message: 'a port number (1-65535)' })
    .int('a port number (1-65535)')
    .min(1, 'a port number (1-65535)')
    .max(65535, 'a port number (1-65535)')
    .default(8780),
});

function loadProxySettings(env: NodeJS.ProcessEnv) {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = proxyEnvironment.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    exitOnConfigError(new ConfigError(String(issue.path[0]), issue.message));
  }
  return parsed.data;
}

const config = loadConfigOrExit();
const settings = loadProxySettings(process.env);
const logger = createLogger(config.logLevel, 'discord-proxy');
const proxy = await startRateBudgetProxy({
  upstreamApiUrl: config.discord.apiUrl,
  requestsPerSecond: config.discord.requestsPerSecond,
  host: settings.DISCORD_PROXY_HOST,
  port: settings.DISCORD_PROXY_PORT,
});
logger.info(
  {
    apiUrl: proxy.apiUrl,
    upstream: config.discord.apiUrl,
    requestsPerSecond: config.discord.requestsPerSecond,
  },
  'Discord rate-budget proxy running: set DISCORD_API_URL of every worker to its apiUrl',
);
onShutdownSignal(() => {
  void proxy.close().then(() => logger.info('Discord rate-budget proxy stopped'));
});
