/**
 * Structured JSON logs (pino). Context travels in child loggers; the bot token and
 * message contents are redacted wherever they might appear.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'bot-tasks'): Logger {
  return pino({
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
  });
}
