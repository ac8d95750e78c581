/** The kinds of value the configuration's variables take, each validated with a message that says what is expected. */
import { z } from 'zod';
import { parseDuration } from './duration';
import { SNOWFLAKE_PATTERN } from './commands/snowflake';

export const snowflake = z.string().regex(SNOWFLAKE_PATTERN, 'a Discord id (17-20 digits)');

export const duration = (fallback: string) =>
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

export const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

export const port = z.coerce.number().int().min(1).max(65535);

/** A schedule: a 5-field cron expression in UTC, or `every <duration>` (demos, tests). */
export type ScheduleSetting = { cron: string } | { everyMs: number };

export const schedule = z
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

export const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "'true' or 'false'" })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes'].includes(value)));

/** Per-guild overrides of the cleanup policy: JSON keyed by guild id. */
export const guildOverrides = z
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
    const parsed = z.record(z.string().regex(SNOWFLAKE_PATTERN), override).safeParse(raw);
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
