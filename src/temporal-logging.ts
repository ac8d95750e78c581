/** Routes the Temporal SDK's logs (worker, workflow `log`, activity `log`) into pino. */
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const levels: Record<LogLevel, PinoLevel> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * SDK messages that say nothing a person needs at the default level, logged at debug:
 * webpack's report of the workflow bundle (the SDK's WorkflowCodeBundler logs
 * `stats.toString()` at INFO, dozens of lines, unless the build failed, which it logs at
 * ERROR and keeps), and the Discord worker's expected lack of workflows and Nexus services.
 */
const quietMessages: RegExp[] = [
  /^asset workflow-bundle-[\s\S]*\bwebpack [\d.]+ compiled\b/,
  /^No (workflows|Nexus services) registered, not polling for (workflow|Nexus) tasks$/,
];

export function sdkLogLevel(entry: Pick<LogEntry, 'level' | 'message'>): PinoLevel {
  const level = levels[entry.level];
  if ((level === 'info' || level === 'warn') && quietMessages.some((re) => re.test(entry.message))) {
    return 'debug';
  }
  return level;
}

/** Must run before any worker or native connection is created. */
export function installTemporalRuntime(logger: Logger, options: { metricsPort?: number } = {}): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    // Our entry points handle SIGINT/SIGTERM themselves (see shutdown.ts), so the
    // process outlives the workers long enough to close what else it started.
    shutdownSignals: [],
    logger: new DefaultLogger('INFO', (entry) => {
      sdkLogger[sdkLogLevel(entry)](entry.meta ?? {}, entry.message);
    }),
    telemetryOptions: {
      logging: { filter: { core: 'WARN' } },
      ...(options.metricsPort
        ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${options.metricsPort}` } } }
        : {}),
    },
  });
}
