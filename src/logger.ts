/**
 * Logs (pino). Context travels in child loggers; the bot token and message contents are
 * redacted wherever they might appear. JSON lines for machines; for a person at a
 * terminal, readable lines (pino-pretty), chosen by chooseLogFormat.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { ConfigError } from './config';

export type { Logger };

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/**
 * JSON unless the output is a terminal; LOG_FORMAT (`pretty` or `json`) forces either.
 * config.ts validates LOG_FORMAT at start-up; a value it would refuse throws here too.
 */
export function chooseLogFormat({ isTTY, LOG_FORMAT }: { isTTY?: boolean; LOG_FORMAT?: string }): LogFormat {
  if (LOG_FORMAT === undefined || LOG_FORMAT === '') return isTTY ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(LOG_FORMAT)) return LOG_FORMAT as LogFormat;
  throw new ConfigError('LOG_FORMAT', "'pretty' or 'json'");
}

export interface LoggerOptions {
  /** Default: chooseLogFormat on this process's stdout and LOG_FORMAT. */
  format?: LogFormat;
  /** Where the lines go; default stdout. */
  destination?: DestinationStream;
}

/**
 * A synchronous pretty printer on stdout: pino-pretty's formatter applied line by line in
 * this thread (not a worker-thread transport), so lines keep their order with console
 * output and nothing is lost at exit. Redaction has already happened: pino redacts
 * before it serializes the line handed to write().
 */
function prettyStream(destination: DestinationStream): DestinationStream {
  const prettify = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    // The same on every line, or the SDK's internal tags: noise for a reader. JSON keeps them.
    ignore: 'pid,hostname,component,sdkComponent',
  });
  return { write: (line: string) => void destination.write(prettify(line)) };
}

export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  name = 'bot-tasks',
  options: LoggerOptions = {},
): Logger {
  const format =
    options.format ?? chooseLogFormat({ isTTY: process.stdout.isTTY, LOG_FORMAT: process.env.LOG_FORMAT });
  const destination = options.destination ?? process.stdout;
  const settings = {
    name,
    level,
    redact: {
      paths: [
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'content',
        '*.content',
        'embeds',
        '*.embeds',
      ],
      censor: '[redacted]',
    },
  };
  if (format === 'pretty') return pino(settings, prettyStream(destination));
  // JSON: pino's own synchronous stdout destination unless told otherwise.
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
