/** The command rules and their errors: pure, no database. */
import { describe, expect, it } from 'vitest';
import {
  CommandExistsError,
  CommandNotFoundError,
  InvalidCommandError,
  NothingToRestoreError,
  normalizeName,
  validContent,
  validName,
} from '../../src/db';

describe('command rules', () => {
  it('normalises names to trimmed lower case', () => {
    expect(normalizeName('  Hello_World-2 ')).toBe('hello_world-2');
  });

  it.each(['ab', 'a'.repeat(32), 'snake_case', 'kebab-case', '123', '  MiXeD  '])(
    'accepts the name %j',
    (name) => {
      expect(validName(name)).toBe(normalizeName(name));
    },
  );

  it.each(['a', ' a ', 'a'.repeat(33), 'with space', 'émoji', 'semi;colon', '', '@everyone'])(
    'refuses the name %j',
    (name) => {
      expect(() => validName(name)).toThrow(InvalidCommandError);
    },
  );

  it('accepts content of 1 to 2000 characters, unchanged', () => {
    expect(validContent(' x ')).toBe(' x ');
    expect(validContent('y'.repeat(2000))).toHaveLength(2000);
  });

  it('refuses empty, blank or too long content, without quoting it', () => {
    expect(() => validContent('')).toThrow(InvalidCommandError);
    expect(() => validContent(' \n\t ')).toThrow(InvalidCommandError);
    const secret = 'TOKEN'.repeat(401);
    const error = (() => {
      try {
        validContent(secret);
      } catch (e) {
        return e as InvalidCommandError;
      }
    })();
    expect(error?.field).toBe('content');
    expect(error?.message).toContain('2000');
    expect(error?.message).not.toContain('TOKEN');
  });

  it('gives every error a message a bot user understands, naming the command', () => {
    expect(new CommandExistsError('faq').message).toBe(
      'A command named "faq" already exists in this server.',
    );
    expect(new CommandNotFoundError('faq').message).toContain('"faq"');
    expect(new NothingToRestoreError('faq').message).toContain('"faq"');
    expect(new CommandExistsError('faq')).toBeInstanceOf(Error);
    expect(new CommandExistsError('faq').name).toBe('CommandExistsError');
  });
});
