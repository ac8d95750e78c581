/**
 * Configuration from environment variables, validated once at start-up. A wrong
 * value stops the process with exit code 2 and one line naming the variable and
 * what is expected; secrets are never echoed.
 */
import { z } from 'zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './local/paths';
import { parseDuration } from './duration';
import type { CleanupPolicy } from './cleanup/model';
import { ConfigError } from './config-error';
import { SNOWFLAKE_PATTERN } from './commands/snowflake';
import {
  boolean,
  duration,
  guildOverrides,
  list,
  port,
  schedule,
  snowflake,
  type ScheduleSetting,
} from './config-fields';
import { checkMongoTlsFiles, resolveTemporalSecurity, tlsEnvironment, type TemporalTls } from './config-tls';

const environment = z.object({
  DISCORD_TOKEN: z.string().min(1, 'a bot token').optional(),
  DISCORD_API_URL: z
    .url({ message: 'a URL like https://discord.com/api' })
    .default('https://discord.com/api'),
  DISCORD_REQUESTS_PER_SECOND: z.coerce.number().positive().max(50).default(50),
  GUILD_ID: snowflake.optional(),
  GUILD_IDS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return [];
      // Every guild the bot is in, asked of Discord when schedules are set (src/guilds.ts).
      if (text.trim().toLowerCase() === 'all') return 'all' as const;
      const ids = text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const bad = ids.find((id) => !SNOWFLAKE_PATTERN.test(id));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `a comma-separated list of Discord ids, got '${bad}'` });
        return z.NEVER;
      }
      return ids;
    }),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'a database name')
    .default('discord_bot'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TASK_QUEUE: z.string().min(1).default('bot-tasks'),
  DISCORD_TASK_QUEUE: z.string().min(1).default('bot-tasks-discord'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  // Unset: readable lines on a terminal, JSON otherwise (logger.ts, chooseLogFormat).
  LOG_FORMAT: z.enum(['pretty', 'json'], { message: "'pretty' or 'json'" }).optional(),
  METRICS_PORT: port.optional(),
  CLEANUP_WARN_AFTER: duration('60 days'),
  CLEANUP_DELETE_AFTER: duration('90 days'),
  CLEANUP_GRACE_PERIOD: duration('30 days'),
  CLEANUP_DELETE_UNDELIVERABLE: boolean(true),
  CLEANUP_ADMIN_CHANNELS: list('admin,bot-logs'),
  CLEANUP_SCHEDULE: schedule,
  CLEANUP_ARCHIVE_RETENTION: duration('365 days'),
  // Database maintenance: the notification log and cleanup incidents are purged past this age.
  LOG_RETENTION: duration('90 days'),
  CLEANUP_GUILD_OVERRIDES: guildOverrides,
  // Task names (src/tasks/registry.ts) not to schedule; checked against the registry.
  TASKS_DISABLED: list(''),
  // Backups (src/backup): one gzip'd JSON-lines file per guild and day, kept this many days.
  BACKUP_DIR: z
    .string()
    .default(path.join(dataDir, 'backups'))
    .transform((dir) => path.resolve(dir)),
  BACKUP_RETENTION_DAYS: z.coerce
    .number({ message: 'a positive whole number of days' })
    .int('a positive whole number of days')
    .positive('a positive whole number of days')
    .default(30),
  // A workflow bundle built beforehand (npm run build:workflows): the worker starts in seconds
  // and every worker of a deployment runs the same workflow code. Unset: bundled at start.
  WORKFLOW_BUNDLE: z
    .string()
    .optional()
    .transform((file, ctx) => {
      if (file === undefined) return undefined;
      const resolved = path.resolve(file);
      if (!existsSync(resolved)) {
        ctx.addIssue({
          code: 'custom',
          message: `a bundle file from npm run build:workflows; ${resolved} does not exist`,
        });
        return z.NEVER;
      }
      return resolved;
    }),
  ...tlsEnvironment,
});

export type Environment = z.infer<typeof environment>;
export type { ScheduleSetting };

export type { TemporalTls };

export interface Config {
  discord: { token?: string; apiUrl: string; requestsPerSecond: number };
  /** The configured guilds; empty with `allGuilds`, which asks Discord (src/guilds.ts). */
  guildIds: string[];
  /** GUILD_IDS=all: every guild the bot is in. */
  allGuilds: boolean;
  mongodb: { uri: string; database: string };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    discordTaskQueue: string;
    /** TLS toward Temporal, shaped as the SDK's `tls` option; absent: plaintext. */
    tls?: TemporalTls;
    apiKey?: string;
  };
  logLevel: Environment['LOG_LEVEL'];
  /** Forced log format; absent: chosen by whether stdout is a terminal. */
  logFormat?: Environment['LOG_FORMAT'];
  metricsPort?: number;
  /** WORKFLOW_BUNDLE: the prebuilt workflow bundle's path; absent: bundled at start. */
  workflowBundle?: string;
  cleanup: {
    policy: CleanupPolicy;
    adminChannels: string[];
    schedule: ScheduleSetting;
    archiveRetentionMs: number;
    /** Guilds whose policy or admin channels differ from the deployment's. */
    guildOverrides: Record<string, { policy: CleanupPolicy; adminChannels: string[] }>;
  };
  /** Database maintenance: how long log-like collections (notifications, incidents) keep an entry. */
  maintenance: { logRetentionMs: number };
  /** Where the backup task writes, and how long files are kept. */
  backup: { dir: string; retentionDays: number };
  tasks: {
    /** Every `<NAME>_SCHEDULE` variable set, parsed; a task reads its own (src/tasks/task-schedule.ts). */
    schedules: Record<string, ScheduleSetting>;
    /** Names from TASKS_DISABLED. */
    disabled: string[];
  };
}

/** The cleanup settings of one guild: the deployment's, with that guild's overrides. */
export function cleanupSettingsFor(
  config: Config,
  guildId: string,
): { policy: CleanupPolicy; adminChannels: string[] } {
  return (
    config.cleanup.guildOverrides[guildId] ?? {
      policy: config.cleanup.policy,
      adminChannels: config.cleanup.adminChannels,
    }
  );
}

export { ConfigError };

/** Parses the environment; throws ConfigError naming the first wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  if (e.CLEANUP_DELETE_AFTER < e.CLEANUP_WARN_AFTER) {
    throw new ConfigError('CLEANUP_DELETE_AFTER', 'a duration at least as long as CLEANUP_WARN_AFTER');
  }
  if (e.CLEANUP_ADMIN_CHANNELS.length === 0) {
    throw new ConfigError('CLEANUP_ADMIN_CHANNELS', 'a comma-separated list of channel names');
  }
  const policy: CleanupPolicy = {
    warnAfterMs: e.CLEANUP_WARN_AFTER,
    deleteAfterMs: e.CLEANUP_DELETE_AFTER,
    gracePeriodMs: e.CLEANUP_GRACE_PERIOD,
    deleteWhenUndeliverable: e.CLEANUP_DELETE_UNDELIVERABLE,
  };
  const guildOverrides = resolveGuildOverrides(e, policy);
  const temporalSecurity = resolveTemporalSecurity(e);
  checkMongoTlsFiles(e.MONGODB_URI);
  return {
    discord: {
      token: e.DISCORD_TOKEN,
      apiUrl: e.DISCORD_API_URL,
      requestsPerSecond: e.DISCORD_REQUESTS_PER_SECOND,
    },
    guildIds:
      e.GUILD_IDS === 'all' ? [] : [...new Set([...(e.GUILD_ID ? [e.GUILD_ID] : []), ...e.GUILD_IDS])],
    allGuilds: e.GUILD_IDS === 'all',
    mongodb: { uri: e.MONGODB_URI, database: e.MONGODB_DB },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TASK_QUEUE,
      discordTaskQueue: e.DISCORD_TASK_QUEUE,
      ...temporalSecurity,
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metricsPort: e.METRICS_PORT,
    ...(e.WORKFLOW_BUNDLE ? { workflowBundle: e.WORKFLOW_BUNDLE } : {}),
    cleanup: {
      policy,
      adminChannels: e.CLEANUP_ADMIN_CHANNELS,
      schedule: e.CLEANUP_SCHEDULE,
      archiveRetentionMs: e.CLEANUP_ARCHIVE_RETENTION,
      guildOverrides,
    },
    tasks: { schedules: taskSchedules(present), disabled: e.TASKS_DISABLED },
    maintenance: { logRetentionMs: e.LOG_RETENTION },
    backup: { dir: e.BACKUP_DIR, retentionDays: e.BACKUP_RETENTION_DAYS },
  };
}

/** Every `<NAME>_SCHEDULE` variable, parsed as CLEANUP_SCHEDULE is; the first bad one is named. */
function taskSchedules(env: NodeJS.ProcessEnv): Record<string, ScheduleSetting> {
  const schedules: Record<string, ScheduleSetting> = {};
  for (const [variable, text] of Object.entries(env)) {
    if (!/^[A-Z][A-Z0-9_]*_SCHEDULE$/.test(variable) || text === undefined) continue;
    const parsed = schedule.safeParse(text);
    if (!parsed.success) throw new ConfigError(variable, parsed.error.issues[0]!.message);
    schedules[variable] = parsed.data;
  }
  return schedules;
}

function resolveGuildOverrides(e: Environment, policy: CleanupPolicy): Config['cleanup']['guildOverrides'] {
  const resolved: Config['cleanup']['guildOverrides'] = {};
  for (const [guildId, o] of Object.entries(e.CLEANUP_GUILD_OVERRIDES)) {
    const durationOf = (text: string | undefined, fallback: number, field: string) => {
      if (text === undefined) return fallback;
      const value = parseDuration(text);
      if (value === undefined) {
        throw new ConfigError('CLEANUP_GUILD_OVERRIDES', `a duration for ${guildId}.${field}, got '${text}'`);
      }
      return value;
    };
    const guildPolicy: CleanupPolicy = {
      warnAfterMs: durationOf(o.warnAfter, policy.warnAfterMs, 'warnAfter'),
      deleteAfterMs: durationOf(o.deleteAfter, policy.deleteAfterMs, 'deleteAfter'),
      gracePeriodMs: durationOf(o.gracePeriod, policy.gracePeriodMs, 'gracePeriod'),
      deleteWhenUndeliverable: o.deleteWhenUndeliverable ?? policy.deleteWhenUndeliverable,
    };
    if (guildPolicy.deleteAfterMs < guildPolicy.warnAfterMs) {
      throw new ConfigError(
        'CLEANUP_GUILD_OVERRIDES',
        `${guildId}: deleteAfter at least as long as warnAfter`,
      );
    }
    const channels = o.adminChannels
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    resolved[guildId] = {
      policy: guildPolicy,
      adminChannels: channels?.length ? channels : e.CLEANUP_ADMIN_CHANNELS,
    };
  }
  return resolved;
}

/** Requires a setting a command cannot do without; the same one-line error otherwise. */
export function requireSetting<T>(value: T | undefined, variable: string, expected: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0))
    throw new ConfigError(variable, expected);
  return value;
}

/** For entry points: load, or print one line and exit with code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    exitOnConfigError(error);
  }
}

export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
