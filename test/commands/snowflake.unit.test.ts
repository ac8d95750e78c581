/** The id and name checks that keep anything but plain values out of MongoDB queries (pure). */
import { describe, expect, it } from 'vitest';
import { isSnowflake } from '../../src/commands/snowflake';
import {
  InvalidCommandError,
  InvalidIdError,
  normalizeName,
  validContent,
  validId,
} from '../../src/db/command-rules';

const NOT_IDS: [string, unknown][] = [
  ['a query operator', { $ne: null }],
  ['a regex operator', { $regex: '.*' }],
  ['a number', 1196423538278531072],
  ['a bigint', 1196423538278531072n],
  ['an array', ['1196423538278531072']],
  ['null', null],
  ['undefined', undefined],
  ['an empty string', ''],
  ['16 digits', '1234567890123456'],
  ['21 digits', '123456789012345678901'],
  ['digits with a space', ' 1196423538278531072'],
  ['a mention', '<@1196423538278531072>'],
  ['digits then a newline', '1196423538278531072\n'],
];

describe('snowflake ids', () => {
  it.each(['12345678901234567', '1196423538278531072', '18446744073709551615'])('accepts %s', (id) => {
    expect(isSnowflake(id)).toBe(true);
    expect(validId('guildId', id)).toBe(id);
  });

  it.each(NOT_IDS)('refuses %s with InvalidIdError, without echoing it', (_what, value) => {
    expect(isSnowflake(value)).toBe(false);
    const error = (() => {
      try {
        validId('creatorId', value);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidIdError);
    expect(error).toMatchObject({ name: 'InvalidIdError', field: 'creatorId' });
    expect((error as Error).message).toMatch(/^creatorId must be a Discord id/);
    if (typeof value === 'string' && value.length > 0) expect((error as Error).message).not.toContain(value);
  });
});

describe('names and contents that are not strings', () => {
  it.each([{ $ne: null }, ['hello'], 42, null, undefined])(
    'refuses the name %j as a command error',
    (value) => {
      expect(() => normalizeName(value as unknown as string)).toThrow(InvalidCommandError);
    },
  );

  it.each([{ $set: { x: 1 } }, ['text'], 42])('refuses the content %j as a command error', (value) => {
    expect(() => validContent(value as unknown as string)).toThrow(InvalidCommandError);
  });
});
