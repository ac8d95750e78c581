/**
 * Drives the starter CLI in-process through `runCli`, as an operator would run it:
 * argv in, lines on stdout and stderr and an exit code out. The configuration comes
 * from `process.env`, read by the CLI at its first command, so each call sets the
 * variables it is given (every other variable the CLI reads is unset) and restores
 * the environment afterwards.
 */
import { runCli } from '../../src/starter';
import { snowflakeAt } from '../../src/emulator';

export interface CliRun {
  code: number;
  /** Lines written to stdout (help text is one multi-line entry). */
  out: string[];
  /** Lines written to stderr. */
  err: string[];
}

export type CliEnv = Record<string, string | undefined>;

/** Every variable the configuration reads: unset unless a test gives it, so the host's own never leak in. */
const CONFIG_VARIABLES = [
  'DISCORD_TOKEN',
  'DISCORD_API_URL',
  'DISCORD_REQUESTS_PER_SECOND',
  'GUILD_ID',
  'GUILD_IDS',
  'MONGODB_URI',
  'MONGODB_DB',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TASK_QUEUE',
  'DISCORD_TASK_QUEUE',
  'LOG_LEVEL',
  'METRICS_PORT',
  'CLEANUP_WARN_AFTER',
  'CLEANUP_DELETE_AFTER',
  'CLEANUP_GRACE_PERIOD',
  'CLEANUP_DELETE_UNDELIVERABLE',
  'CLEANUP_ADMIN_CHANNELS',
  'CLEANUP_SCHEDULE',
  'CLEANUP_ARCHIVE_RETENTION',
];

export async function cli(argv: string[], env: CliEnv = {}): Promise<CliRun> {
  const wanted: CliEnv = { ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, undefined])), ...env };
  const saved = Object.fromEntries(Object.keys(wanted).map((name) => [name, process.env[name]]));
  setEnv(wanted);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out, err };
  } finally {
    setEnv(saved);
  }
}

function setEnv(values: CliEnv): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/**
 * A real-looking guild id (a snowflake of now) unique to this test run: parallel test
 * files on the shared dev server never touch each other's schedules.
 */
export function newGuildId(): string {
  return snowflakeAt(Date.now(), Math.floor(Math.random() * 4096));
}

/** Polls `read` until `done` holds (visibility is eventually consistent); the last value otherwise. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
