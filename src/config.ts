/**
 * Configuration from environment variables, validated once at start-up. A wrong
 * value stops the process with exit code 2 and one line naming the variable and
 * what is expected; secrets are never echoed.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import type { CleanupPolicy } from './cleanup/model';
import { TlsFileProblem, certificateMatchesKey, mongoTlsFileProblem, readPemFile } from './tls-files';

const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord id (17-20 digits)');

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const value = parseDuration(text);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `a duration like '30 days', '12h' or '5s', got '${text}'` });
        return z.NEVER;
      }
      return value;
    });

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

const port = z.coerce.number().int().min(1).max(65535);

/** A schedule: a 5-field cron expression in UTC, or `every <duration>` (demos, tests). */
export type ScheduleSetting = { cron: string } | { everyMs: number };

const schedule = z
  .string()
  .default('0 3 * * *')
  .transform((text, ctx): ScheduleSetting => {
    const every = /^every\s+(.+)$/i.exec(text.trim());
    if (every) {
      const everyMs = parseDuration(every[1]!);
      if (everyMs !== undefined) return { everyMs };
    } else if (/^(\S+\s+){4}\S+$/.test(text.trim())) {
      return { cron: text.trim() };
    }
    ctx.addIssue({
      code: 'custom',
      message: `a cron expression in UTC like '0 3 * * *', or 'every <duration>', got '${text}'`,
    });
    return z.NEVER;
  });

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "'true' or 'false'" })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));

/** Per-guild overrides of the cleanup policy: JSON keyed by guild id. */
const guildOverrides = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (!text) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'JSON like {"<guildId>": {"gracePeriod": "7 days"}}' });
      return z.NEVER;
    }
    const override = z
      .object({
        warnAfter: z.string().optional(),
        deleteAfter: z.string().optional(),
        gracePeriod: z.string().optional(),
        deleteWhenUndeliverable: z.boolean().optional(),
        adminChannels: z.string().optional(),
      })
      .strict();
    const parsed = z.record(z.string().regex(/^\d{17,20}$/), override).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      ctx.addIssue({
        code: 'custom',
        message: `guild ids mapping to {warnAfter, deleteAfter, gracePeriod, deleteWhenUndeliverable, adminChannels} (${issue.path.join('.')}: ${issue.message})`,
      });
      return z.NEVER;
    }
    return parsed.data;
  });

// ---- TLS and credentials toward Temporal and MongoDB (begin) ----------------------------
// Files are read here, at start-up, so a wrong path fails before anything connects. The
// MongoDB driver takes its TLS settings in MONGODB_URI; only the files it names are checked.

/** The Temporal SDK's `TLSConfig`, with the files already read. */
export interface TemporalTls {
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverNameOverride?: string;
}

const pemFile = (kind: 'certificate' | 'private key') =>
  z
    .string()
    .optional()
    .transform((path, ctx) => {
      if (path === undefined) return undefined;
      try {
        return readPemFile(path, kind);
      } catch (error) {
        if (!(error instanceof TlsFileProblem)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    });

const tlsEnvironment = {
  /** Unset: TLS when any other TEMPORAL_TLS_* or TEMPORAL_API_KEY is set. */
  TEMPORAL_TLS: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "'true' or 'false'" })
    .optional()
    .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value))),
  TEMPORAL_TLS_CERT: pemFile('certificate'),
  TEMPORAL_TLS_KEY: pemFile('private key'),
  TEMPORAL_TLS_CA: pemFile('certificate'),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'a host name like temporal.example.com')
    .optional(),
  // The message must not quote the value: it is a secret.
  TEMPORAL_API_KEY: z.string().regex(/^\S+$/, 'an API key without spaces or line breaks').optional(),
};

type TlsEnvironment = Pick<Environment, keyof typeof tlsEnvironment>;

/**
 * TLS and the API key toward Temporal. Any TLS file or the server name turns TLS on, as
 * does an API key (TEMPORAL_TLS=false sends the key in plaintext, as the SDK does with an
 * explicit `tls: false`: for a TLS-terminating proxy on a trusted network). A client certificate and an API key
 * together are allowed: the server gets both, for deployments that authenticate the
 * connection by certificate and the caller by key.
 */
function resolveTemporalSecurity(e: TlsEnvironment): { tls?: TemporalTls; apiKey?: string } {
  const cert = e.TEMPORAL_TLS_CERT;
  const key = e.TEMPORAL_TLS_KEY;
  if (cert && !key)
    throw new ConfigError('TEMPORAL_TLS_KEY', 'the client key file that goes with TEMPORAL_TLS_CERT');
  if (key && !cert)
    throw new ConfigError('TEMPORAL_TLS_CERT', 'the client certificate file that goes with TEMPORAL_TLS_KEY');
  if (cert && key && !certificateMatchesKey(cert, key)) {
    throw new ConfigError('TEMPORAL_TLS_KEY', 'the private key of the certificate in TEMPORAL_TLS_CERT');
  }
  const tls: TemporalTls = {
    ...(e.TEMPORAL_TLS_CA && { serverRootCACertificate: e.TEMPORAL_TLS_CA }),
    ...(cert && key && { clientCertPair: { crt: cert, key } }),
    ...(e.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME }),
  };
  const customized = Object.keys(tls).length > 0;
  if (e.TEMPORAL_TLS === false && customized) {
    throw new ConfigError(
      'TEMPORAL_TLS',
      "'true' or unset when TEMPORAL_TLS_CERT, _KEY, _CA or _SERVER_NAME is set",
    );
  }
  const tlsOn = e.TEMPORAL_TLS ?? (customized || e.TEMPORAL_API_KEY !== undefined);
  return {
    ...(tlsOn && { tls }),
    ...(e.TEMPORAL_API_KEY !== undefined && { apiKey: e.TEMPORAL_API_KEY }),
  };
}

function checkMongoTlsFiles(uri: string): void {
  const problem = mongoTlsFileProblem(uri);
  if (problem) throw new ConfigError('MONGODB_URI', problem);
}
// ---- TLS and credentials toward Temporal and MongoDB (end) ------------------------------

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
      const ids = text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const bad = ids.find((id) => !/^\d{17,20}$/.test(id));
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
  CLEANUP_GUILD_OVERRIDES: guildOverrides,
  ...tlsEnvironment,
});

export type Environment = z.infer<typeof environment>;

export interface Config {
  discord: { token?: string; apiUrl: string; requestsPerSecond: number };
  guildIds: string[];
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
  cleanup: {
    policy: CleanupPolicy;
    adminChannels: string[];
    schedule: ScheduleSetting;
    archiveRetentionMs: number;
    /** Guilds whose policy or admin channels differ from the deployment's. */
    guildOverrides: Record<string, { policy: CleanupPolicy; adminChannels: string[] }>;
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

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: expected ${expected}`);
  }
}

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
    guildIds: [...new Set([...(e.GUILD_ID ? [e.GUILD_ID] : []), ...e.GUILD_IDS])],
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
    cleanup: {
      policy,
      adminChannels: e.CLEANUP_ADMIN_CHANNELS,
      schedule: e.CLEANUP_SCHEDULE,
      archiveRetentionMs: e.CLEANUP_ARCHIVE_RETENTION,
      guildOverrides,
    },
  };
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
