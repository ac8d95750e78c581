/**
 * Discord ids ("snowflakes") as the bot-side API accepts them: decimal strings of 17 to
 * 20 digits (a 64-bit integer written out; 17 digits covers ids from 2015 on). Checking
 * the exact shape, not just "a string", is what keeps query operators out of MongoDB: an
 * id is used as a query value, and `{ $ne: null }`, a number or an array there would
 * match other guilds' documents or none instead of failing.
 *
 * The one check of the product (configuration, CLI options, schedule ids, the API); the
 * emulator keeps its own on purpose (it must not share code with what it emulates for).
 */

export const SNOWFLAKE_PATTERN = /^\d{17,20}$/;

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && SNOWFLAKE_PATTERN.test(value);
}
