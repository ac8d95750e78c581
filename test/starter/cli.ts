/**
 * Drives the starter CLI in-process through `runCli`, as an operator would run it:
 * argv in, lines on stdout and stderr and an exit code out. The configuration comes
 * from `process.env`, read by the CLI at its first command, so each call sets the
 * variables it is given (every other configuration variable is unset) and restores
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

/** The configuration's variables (by prefix, so new ones are covered): unset unless a test gives them. */
const CONFIG_VARIABLE =
  /^(DISCORD_|GUILD_IDS?$|MONGODB_|TEMPORAL_|CLEANUP_|TASK_QUEUE$|TASKS_|BACKUP_|LOG_|HEALTH_|METRICS_PORT$|[A-Z0-9_]+_SCHEDULE$)/;

export async function cli(argv: string[], env: CliEnv = {}): Promise<CliRun> {
  const inherited = Object.keys(process.env).filter((name) => CONFIG_VARIABLE.test(name));
  const wanted: CliEnv = { ...Object.fromEntries(inherited.map((name) => [name, undefined])), ...env };
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
