// Discord snowflakes: 42 bits of milliseconds since the Discord epoch, then worker, process
// and a 12-bit increment. Real-looking ids matter: discord.js only buckets 17-19 digit ids.

export const DISCORD_EPOCH = 1_420_070_400_000;

const WORKER_ID = 1n;
const PROCESS_ID = 0n;
let increment = 0n;

/** A snowflake for a given time and increment (deterministic: used for the demo world's fixed ids). */
export function snowflakeAt(timestampMs: number, inc: number): string {
  const ms = BigInt(timestampMs - DISCORD_EPOCH);
  return ((ms << 22n) | (WORKER_ID << 17n) | (PROCESS_ID << 12n) | (BigInt(inc) & 0xfffn)).toString();
}

/** A fresh, unique snowflake for "now" (the increment wraps at 4096 per process, as Discord's does). */
export function generateSnowflake(now: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return snowflakeAt(now, Number(increment));
}

export function snowflakeTimestamp(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}
