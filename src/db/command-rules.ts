/**
 * The rules a custom command obeys, and the errors the bot shows its users when one
 * is broken. Pure: no I/O. Error messages name the command, never its content, so
 * they are safe to log and to show in a channel.
 *
 * Every value the bot passes in ends up in a MongoDB query, so each is checked for its
 * type as well as its shape: a non-string (an object such as `{ $ne: null }`, an array)
 * must be refused here, never reach a filter as an operator.
 */
import { isSnowflake } from '../commands/snowflake';

export const NAME_PATTERN = /^[a-z0-9_-]{2,32}$/;
export const MAX_CONTENT_LENGTH = 2000;

/** Names are compared in lower case: `!Hello ` and `hello` are the same command. */
export function normalizeName(input: string): string {
  // Also guards lookups (use, edit, remove), which accept any string but must not take an object.
  if (typeof input !== 'string') throw new InvalidCommandError('name', 'A command name must be text.');
  return input.trim().toLowerCase();
}

/** The normalised name, or throws InvalidCommandError. */
export function validName(input: string): string {
  const name = normalizeName(input);
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidCommandError(
      'name',
      'A command name must be 2 to 32 characters long and use only letters, digits, "-" and "_".',
    );
  }
  return name;
}

/** The content unchanged (spacing can matter in a reply), or throws InvalidCommandError. */
export function validContent(content: string): string {
  if (typeof content !== 'string') throw new InvalidCommandError('content', 'A command needs text content.');
  // Discord refuses to send a message that is empty or only whitespace.
  if (content.trim().length === 0) {
    throw new InvalidCommandError('content', 'A command needs some content.');
  }
  if (content.length > MAX_CONTENT_LENGTH) {
    throw new InvalidCommandError(
      'content',
      `A command's content can be at most ${MAX_CONTENT_LENGTH} characters long (this one has ${content.length}).`,
    );
  }
  return content;
}

export class InvalidCommandError extends Error {
  override readonly name = 'InvalidCommandError';
  constructor(
    readonly field: 'name' | 'content',
    message: string,
  ) {
    super(message);
  }
}

export type IdField = 'guildId' | 'creatorId';

/** The id unchanged if it is a Discord snowflake (a string of 17-20 digits), or throws InvalidIdError. */
export function validId(field: IdField, value: unknown): string {
  if (!isSnowflake(value)) throw new InvalidIdError(field, value);
  return value;
}

/**
 * A guild or user id that is not a snowflake: a bug in the caller (Discord only hands out
 * snowflakes), not a user mistake. The message describes the value's type and length
 * without echoing it, since it can be anything.
 */
export class InvalidIdError extends Error {
  override readonly name = 'InvalidIdError';
  constructor(
    readonly field: IdField,
    value: unknown,
  ) {
    super(`${field} must be a Discord id (a string of 17 to 20 digits), got ${describeValue(value)}`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a value of type ${typeof value}`;
}

export class CommandExistsError extends Error {
  override readonly name = 'CommandExistsError';
  constructor(readonly commandName: string) {
    super(`A command named "${commandName}" already exists in this server.`);
  }
}

export class CommandNotFoundError extends Error {
  override readonly name = 'CommandNotFoundError';
  constructor(readonly commandName: string) {
    super(`There is no command named "${commandName}" in this server.`);
  }
}

export class NothingToRestoreError extends Error {
  override readonly name = 'NothingToRestoreError';
  constructor(readonly commandName: string) {
    super(`No deleted command named "${commandName}" is archived for this server.`);
  }
}
