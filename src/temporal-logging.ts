/** Routes the Temporal SDK's logs (worker, workflow `log`, activity `log`) into pino. */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Must run before any worker or native connection is created. */
export function installTemporalRuntime(logger: Logger, options: { metricsPort?: number } = {}): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    // Our entry points handle SIGINT/SIGTERM themselves (see shutdown.ts), so the
    // process outlives the workers long enough to close what else it started.
    shutdownSignals: [],
    logger: new DefaultLogger('INFO', (entry) => {
      sdkLogger[levels[entry.level]](entry.meta ?? {}, entry.message);
    }),
    telemetryOptions: {
      logging: { filter: { core: 'WARN' } },
      ...(options.metricsPort
        ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${options.metricsPort}` } } }
        : {}),
    },
  });
}
